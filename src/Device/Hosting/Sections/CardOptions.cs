using Reader.Card.MyNumber;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Card" section: which reader, how to treat certificates, which card-face issuers to trust.</summary>
public sealed class CardOptions : IReaderOptions
{
    /// <summary>PC/SC reader name; empty = the first reader with a card.</summary>
    public string ReaderName { get; set; } = "";

    public int RenewalWindowDays { get; set; } = 90;

    /// <summary>Trusted 券面AP certificate issuers (EF 0004) besides the built-in one: key id "NNNNNNN/GGG" and the 90/91 public key in base64.</summary>
    public List<IssuerKeyOptions> CardFaceIssuerKeys { get; set; } = [];

    /// <summary>
    /// Whole EFs in one extended READ BINARY: Auto (when the reader's PC/SC part 10 dwMaxAPDUDataSize allows), Off, or
    /// On (for a reader whose driver carries extended APDUs without saying so). Cards that refuse get 256-byte chunks.
    /// </summary>
    public ExtendedReadPolicy ExtendedReads { get; set; } = ExtendedReadPolicy.Auto;

    /// <summary>Trust the J-LIS production 券面AP CA (<see cref="CardFaceAuthorities.Production"/>, 5000023/001) built into the reader.</summary>
    public bool TrustBuiltInIssuerKey { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (RenewalWindowDays is < 0 or > 366)
        {
            yield return $"RenewalWindowDays: must be 0..366, got {RenewalWindowDays}";
        }

        if (!Enum.IsDefined(ExtendedReads))
        {
            yield return $"ExtendedReads: must be Auto, Off or On, got {ExtendedReads}";
        }

        for (var i = 0; i < CardFaceIssuerKeys.Count; i++)
        {
            foreach (var problem in CardFaceIssuerKeys[i].Validate())
            {
                yield return $"CardFaceIssuerKeys:{i}:{problem}";
            }
        }
    }

    public MyNumberCardClientOptions ToClientOptions()
    {
        var options = new MyNumberCardClientOptions { RenewalWindow = TimeSpan.FromDays(RenewalWindowDays), ExtendedReads = ExtendedReads };
        foreach (var key in TrustedIssuerKeys())
        {
            options.CardFaceIssuerKeys.Add(key);
        }

        return options;
    }

    /// <summary>The configured issuer keys (first, so a technician's key for an id wins), then the built-in one. Empty = no face method.</summary>
    public IReadOnlyList<CardFaceIssuerKey> TrustedIssuerKeys()
    {
        var keys = CardFaceIssuerKeys.Select(k => new CardFaceIssuerKey(k.KeyId, RsaPublicKey.Parse(Convert.FromBase64String(k.PublicKey)))).ToList();
        if (TrustBuiltInIssuerKey)
        {
            keys.Add(CardFaceAuthorities.Production);
        }

        return keys;
    }
}

public sealed class IssuerKeyOptions
{
    public string KeyId { get; set; } = "";

    public string PublicKey { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (KeyId.Split('/') is not [{ Length: 7 }, { Length: 3 }])
        {
            yield return $"KeyId: must look like 6000023/001, got '{KeyId}'";
        }

        string? problem = null;
        try
        {
            var key = RsaPublicKey.Parse(Convert.FromBase64String(PublicKey));
            if (key.Bits < 2048)
            {
                problem = $"PublicKey: RSA key of {key.Bits} bits, expected 2048";
            }
        }
        catch (FormatException)
        {
            problem = "PublicKey: not base64";
        }
        catch (Reader.Card.Errors.CardProtocolException)
        {
            problem = "PublicKey: not a 90/91 encoded RSA public key";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }
}
