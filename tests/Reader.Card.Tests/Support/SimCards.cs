using System.Collections.Concurrent;
using Reader.Card.MyNumber;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Support;

/// <summary>Virtual cards for tests; RSA keys are costly, so identities are made once per variant and reused where state allows.</summary>
internal static class SimCards
{
    private static readonly ConcurrentDictionary<CardVariant, VirtualCardIdentity> Shared = new();
    private static readonly ConcurrentDictionary<string, VirtualCardIdentity> SharedLayouts = new(StringComparer.Ordinal);

    /// <summary>A fresh card (its own retry counters).</summary>
    public static VirtualMyNumberCard New(CardVariant variant = CardVariant.Standard, string pin = "1234") =>
        new(new VirtualCardIdentity(Guid.NewGuid().ToString("N"), new VirtualCardSpec { Variant = variant, Pin = pin }));

    /// <summary>A fresh card made to <paramref name="spec"/>.</summary>
    public static VirtualMyNumberCard New(VirtualCardSpec spec) => new(new VirtualCardIdentity(Guid.NewGuid().ToString("N"), spec));

    /// <summary>A card with the named EF 0002 layout (<see cref="CardFaceLayout.Named"/>) whose PIN state the test does not change.</summary>
    public static VirtualMyNumberCard WithCardFace(string layout) =>
        new(SharedLayouts.GetOrAdd(layout, name => new VirtualCardIdentity("layout-" + name, new VirtualCardSpec { CardFace = CardFaceLayout.Named[name] })));

    /// <summary>A card whose PIN state the test does not change.</summary>
    public static VirtualMyNumberCard SharedCard(CardVariant variant = CardVariant.Standard) =>
        new(Shared.GetOrAdd(variant, v => new VirtualCardIdentity("shared-" + v, new VirtualCardSpec { Variant = v })));

    public static MyNumberCardClientOptions TrustingSimIssuer()
    {
        var options = new MyNumberCardClientOptions();
        options.CardFaceIssuerKeys.Add(new CardFaceIssuerKey(TestAuthorities.CardFaceCaKeyId, RsaPublicKey.Parse(TestAuthorities.Shared.CardFaceCaPublicKeyTlv())));
        return options;
    }

    /// <summary>The key that signs every virtual card face (DF28), as the client models it.</summary>
    public static RsaPublicKey CardFaceSigner() => RsaPublicKey.Parse(TestAuthorities.EncodePublicKey(TestAuthorities.Shared.CardFaceSigner));

    public static SecretDigits CodeB(VirtualMyNumberCard card) => SecretDigits.FromChars(card.Identity.Printed.CodeB);
}
