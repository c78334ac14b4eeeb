namespace Reader.Card.MyNumber;

/// <summary>An issuer key for the 券面AP certificate (EF 0004), looked up by its key id, e.g. "6000023/001".</summary>
public sealed record CardFaceIssuerKey(string KeyId, RsaPublicKey Key);

public sealed class MyNumberCardClientOptions
{
    /// <summary>"Renew soon" starts this long before the certificate expires (reader-requirements §1.9: 3 months).</summary>
    public TimeSpan RenewalWindow { get; set; } = TimeSpan.FromDays(90);

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Trusted issuers of the 券面AP certificate (EF 0004). Empty = no card face is ever read (fail closed); the
    /// service adds <see cref="CardFaceAuthorities.Production"/> and the configured keys.
    /// </summary>
    public IList<CardFaceIssuerKey> CardFaceIssuerKeys { get; } = [];

    /// <summary>Largest EF this client reads (the 券面 EF 0002 is several KB; READ BINARY offsets stop at 0x7FFF).</summary>
    public int MaxFileSize { get; set; } = 0x7FFF;
}
