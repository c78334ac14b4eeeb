using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Vpcd;

namespace Reader.HardwareSim.Daemon;

/// <summary>The virtual My Number Cards and the two vpcd slots, with a default card in slot 0.</summary>
public sealed class CardSimPart(VirtualReaders readers, bool insertDefaultCard, string? defaultPortrait) : ISimPart
{
    public string Name => "card";

    public VirtualReaders Readers => readers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (insertDefaultCard)
        {
            var card = readers.GetOrCreateCard("card-1", new VirtualCardSpec { PortraitPath = defaultPortrait });
            await readers.InsertAsync(0, card);
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/card");
        group.MapGet("/slots", () => Results.Json(readers.List()));
        group.MapPost("/slots/{slot:int}/insert", async (int slot, InsertRequest request) =>
        {
            if (slot < 0 || slot >= readers.SlotCount)
            {
                return Results.BadRequest(new { error = $"slot must be 0..{readers.SlotCount - 1}" });
            }

            if (!Enum.TryParse<CardVariant>((request.Variant ?? "standard").Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var variant))
            {
                return Results.BadRequest(new { error = $"unknown variant '{request.Variant}' (standard, face-only, expired-certificate, renew-soon, locked-pin, foreign, unreadable)" });
            }

            if (!CardFaceLayout.Named.TryGetValue(request.CardFace ?? "standard", out var layout))
            {
                return Results.BadRequest(new { error = $"unknown card face '{request.CardFace}' ({string.Join(", ", CardFaceLayout.Named.Keys)})" });
            }

            if (!CardLinkProfile.Named.TryGetValue(request.Link ?? "212-424", out var link))
            {
                return Results.BadRequest(new { error = $"unknown link '{request.Link}' ({string.Join(", ", CardLinkProfile.Named.Keys)})" });
            }

            if (!Enum.TryParse<ExtendedReadBehaviour>((request.ExtendedReads ?? "answer").Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var extended))
            {
                return Results.BadRequest(new { error = $"unknown extended-read behaviour '{request.ExtendedReads}' (answer, wrong-length, correct-length, short-answer)" });
            }

            if (request.SlowKbit is { } rate && rate is not (106 or 212 or 424 or 848))
            {
                return Results.BadRequest(new { error = "the reader's bit rate is 106, 212, 424 or 848 kbit/s" });
            }

            var id = request.CardId ?? string.Create(CultureInfo.InvariantCulture, $"card-{variant.ToString().ToLowerInvariant()}");
            var card = readers.GetOrCreateCard(id, new VirtualCardSpec
            {
                Variant = variant,
                Pin = request.Pin ?? "1234",
                PortraitPath = request.Portrait ?? defaultPortrait,
                CardFace = layout,
                Link = link,
                ExtendedReads = extended,
            });
            var behaviour = new SlotBehaviour { ReaderMaxKbit = request.SlowKbit, PullAtApdu = request.PullAtApdu };
            await readers.InsertAsync(slot, card, behaviour);
            return Results.Json(new { slot, cardId = id, variant = variant.ToString() });
        });
        group.MapPost("/slots/{slot:int}/remove", async (int slot) =>
        {
            await readers.RemoveAsync(slot);
            return Results.Json(new { slot, removed = true });
        });
        group.MapGet("/slots/{slot:int}/printed", (int slot) => readers.CardIn(slot) is { } card
            ? Results.Json(Printed(card.Identity.Printed))
            : Results.NotFound(new { error = "no card in that slot" }));
        group.MapGet("/slots/{slot:int}/trace", (int slot) => readers.CardIn(slot) is { } card
            ? Results.Json(new { card.Counters.PowerCycles, card.Counters.TotalApdus, card.Counters.ForbiddenAttempts, apdus = card.Counters.CurrentCycle.Count, trace = card.Counters.CurrentCycle })
            : Results.NotFound(new { error = "no card in that slot" }));
        group.MapGet("/cards/{id}/certificate", (string id) => readers.FindCard(id) is { } card
            ? Results.Json(new { der = Convert.ToBase64String(card.Identity.AuthCertificate), serial = card.Identity.AuthCertificateSerial })
            : Results.NotFound(new { error = "unknown card" }));
        group.MapGet("/issuer", () => Results.Json(new { keyId = TestAuthorities.CardFaceCaKeyId, publicKey = Convert.ToBase64String(readers.Authorities.CardFaceCaPublicKeyTlv()) }));
    }

    public object Status() => new { slots = readers.List() };

    public ValueTask DisposeAsync() => readers.DisposeAsync();

    /// <summary>The printed card front: the inputs of 照合番号B for the card-face camera seam (synthetic person).</summary>
    public static object Printed(PrintedCardFace printed) => new
    {
        birthDate = printed.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        era = JapaneseEra.NameOf(printed.BirthDate),
        eraYear = JapaneseEra.YearOf(printed.BirthDate),
        cardExpiry = printed.CardExpiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        securityCode = printed.SecurityCode,
        sex = printed.Sex.ToString(),
        codeB = printed.CodeB,
    };
}
