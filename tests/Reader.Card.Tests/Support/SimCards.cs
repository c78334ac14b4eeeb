using System.Collections.Concurrent;
using Reader.Card.MyNumber;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Support;

/// <summary>Virtual cards for tests; RSA keys are costly, so identities are made once per variant and reused where state allows.</summary>
internal static class SimCards
{
    private static readonly ConcurrentDictionary<CardVariant, VirtualCardIdentity> Shared = new();

    /// <summary>A fresh card (its own retry counters).</summary>
    public static VirtualMyNumberCard New(CardVariant variant = CardVariant.Standard, string pin = "1234") =>
        new(new VirtualCardIdentity(Guid.NewGuid().ToString("N"), new VirtualCardSpec { Variant = variant, Pin = pin }));

    /// <summary>A card whose PIN state the test does not change.</summary>
    public static VirtualMyNumberCard SharedCard(CardVariant variant = CardVariant.Standard) =>
        new(Shared.GetOrAdd(variant, v => new VirtualCardIdentity("shared-" + v, new VirtualCardSpec { Variant = v })));

    public static MyNumberCardClientOptions TrustingSimIssuer()
    {
        var options = new MyNumberCardClientOptions();
        options.CardFaceIssuerKeys.Add(new CardFaceIssuerKey(TestAuthorities.CardFaceCaKeyId, RsaPublicKey.Parse(TestAuthorities.Shared.CardFaceCaPublicKeyTlv())));
        return options;
    }

    public static SecretDigits CodeB(VirtualMyNumberCard card) => SecretDigits.FromChars(card.Identity.Printed.CodeB);
}
