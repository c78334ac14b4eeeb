namespace Reader.Card.Errors;

/// <summary>A failure the UI can show: a code, a message without personal data, and tries left where relevant.</summary>
public sealed record CardError(CardErrorCode Code, string Message, int? TriesLeft = null)
{
    /// <summary>The code printed on the patient's screen (reader-requirements §2: 001, 002, 006), or null.</summary>
    public string? ScreenCode => Code switch
    {
        CardErrorCode.Unreadable or CardErrorCode.MalformedData or CardErrorCode.UnexpectedStatus => "001",
        CardErrorCode.NotMyNumberCard => "002",
        CardErrorCode.CertificateExpired => "006",
        _ => null,
    };
}
