namespace Reader.HardwareSim.Card;

/// <summary>Who may read an EF or use a key on the virtual card (fact sheet §3.2).</summary>
internal enum Access
{
    Free,
    AuthPin,

    /// <summary>The auth PIN, or 特定機関認証 completed in this power cycle (the auth key only).</summary>
    AuthPinOrInstitution,
    SignPin,
    InputSupportPinOrCodeA,
    CodeAOrB,
    CodeAOnly,
    BirthDate,
    Never,
}

internal sealed class ElementaryFile(byte[] content, Access read)
{
    public byte[] Content { get; } = content;

    public Access Read { get; } = read;
}

/// <summary>A key reference (IEF): a PIN with its retry counter, or a private key.</summary>
internal sealed class KeyReference
{
    public string? Secret { get; init; }

    public int MaxTries { get; init; }

    /// <summary>Persists across insertions (lives with the card identity).</summary>
    public int TriesLeft { get; set; }

    public System.Security.Cryptography.RSA? PrivateKey { get; init; }

    /// <summary>A public key the card checks certificates against (EF 0016: 特定機関認証's CA).</summary>
    public Func<System.Security.Cryptography.RSA>? VerifierKey { get; init; }

    public Access Use { get; init; } = Access.Free;

    public bool IsPin => Secret is not null;
}

/// <summary>One application (DF) on the virtual card: its AID, EFs and key references by file id.</summary>
internal sealed class CardApplication(string name, byte[] aid)
{
    public string Name { get; } = name;

    public byte[] Aid { get; } = aid;

    public Dictionary<ushort, ElementaryFile> Files { get; } = [];

    public Dictionary<ushort, KeyReference> Keys { get; } = [];

    /// <summary>The key signing with P2 = 00 (券面AP's own key).</summary>
    public ushort? DefaultSigningKey { get; init; }
}
