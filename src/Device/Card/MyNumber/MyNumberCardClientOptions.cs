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

    /// <summary>
    /// Largest EF this client reads. The 券面 EF 0002 is several KB; short READ BINARY offsets stop at 0x7FFF, so only
    /// an extended read reaches past that.
    /// </summary>
    public int MaxFileSize { get; set; } = 0xFFFF;

    /// <summary>Whole EFs in one extended READ BINARY: when the reader says it carries them (default), never, or always.</summary>
    public ExtendedReadPolicy ExtendedReads { get; set; } = ExtendedReadPolicy.Auto;
}

/// <summary>When the client reads an EF with one extended-length READ BINARY instead of 256-byte chunks.</summary>
public enum ExtendedReadPolicy
{
    /// <summary>When the reader's PC/SC part 10 dwMaxAPDUDataSize is above 256 (what OpenSC does).</summary>
    Auto,

    /// <summary>Never: 256-byte chunks only.</summary>
    Off,

    /// <summary>Always, up to 65536 bytes, also on readers that do not say (their driver lacks part 10 but carries them).</summary>
    On,
}
