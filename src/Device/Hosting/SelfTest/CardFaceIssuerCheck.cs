using Reader.Device.Hosting.Sections;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>
/// Which 券面AP issuer keys this reader trusts. Without one no card face can be authenticated, so the face method is
/// off and patients are offered the PIN or 目視: the check fails and says so.
/// </summary>
internal sealed class CardFaceIssuerCheck(CardOptions options) : ISelfTestCheck
{
    public string Name => "card-face-issuers";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var keys = options.TrustedIssuerKeys();
        return Task.FromResult(keys.Count == 0
            ? SelfTestResult.Fail("no card-face issuer key is trusted: the face method is off (PIN and 目視 only); set Card:CardFaceIssuerKeys or Card:TrustBuiltInIssuerKey")
            : SelfTestResult.Pass("card faces verified against " + string.Join(", ", keys.Select(k => k.KeyId + (ReferenceEquals(k, Reader.Card.MyNumber.CardFaceAuthorities.Production) ? " (J-LIS, built in)" : "")))));
    }
}
