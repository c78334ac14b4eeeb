using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Patient;
using Reader.Protocol.Contract;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>The patient's world in the rig: cards into slot 0 of the in-process vpcd readers, the in-process camera, the terminal's operator.</summary>
internal sealed class RigWorld(EndToEndRig rig) : IPatientWorld
{
    public async Task PlaceCardAsync(CardToPlace card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (!Enum.TryParse<CardVariant>(card.Variant.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var variant))
        {
            throw new ArgumentException($"unknown card variant {card.Variant}", nameof(card));
        }

        var id = card.CardId ?? $"card-{card.Variant}";
        var virtualCard = rig.Hardware.Readers.GetOrCreateCard(id, new VirtualCardSpec { Variant = variant, Pin = card.Pin ?? "1234", PortraitPath = RigPaths.HolderPortrait });
        await rig.Hardware.Readers.InsertAsync(0, virtualCard);
    }

    public Task TakeCardAsync(CancellationToken cancellationToken) => rig.Hardware.Readers.RemoveAsync(0);

    public Task ShowCameraAsync(SceneKind scene, CancellationToken cancellationToken)
    {
        rig.Hardware.Camera.Camera.Play(scene);
        return Task.CompletedTask;
    }

    public async Task SetReaderModeAsync(string mode, CancellationToken cancellationToken)
    {
        var wanted = mode == "visual-check" ? ReaderMode.VisualCheck : ReaderMode.Automatic;
        var response = await rig.Terminal.SetModeAsync(rig.ReaderId, wanted, cancellationToken);
        if (response.Status is not (CommandStatus.Ok or CommandStatus.Accepted))
        {
            throw new PatientScriptException($"set-mode {mode}: the reader answered {response.Status}");
        }
    }
}
