namespace Reader.Protocol.Contract;

/// <summary>
/// The versioned topic tree (documented in contract/asyncapi.yaml). Every reader owns
/// <c>cr/v1/dev/{readerId}/…</c>, where readerId is its certificate CN and MQTT username, so one ACL
/// pattern line scopes every reader.
/// </summary>
public static class Topics
{
    public const string Root = "cr/v1";

    public static string ReaderRoot(string readerId) => $"{Root}/dev/{readerId}";

    /// <summary>Retained reader status (online / busy / visual-check / maintenance / offline via the delayed Will).</summary>
    public static string Status(string readerId) => ReaderRoot(readerId) + "/status";

    /// <summary>Retained reader info: firmware version, capabilities, contract version.</summary>
    public static string Info(string readerId) => ReaderRoot(readerId) + "/info";

    public static string Events(string readerId) => ReaderRoot(readerId) + "/evt";

    /// <summary>Signed session results, from the reader's outbox.</summary>
    public static string Result(string readerId) => ReaderRoot(readerId) + "/result";

    /// <summary>The terminal's acknowledgement of a result; the reader then deletes it from its outbox.</summary>
    public static string ResultAck(string readerId) => ReaderRoot(readerId) + "/result-ack";

    /// <summary>Terminal → reader command request (MQTT 5 request/response).</summary>
    public static string Command(string readerId, CommandName name) => ReaderRoot(readerId) + "/cmd/" + CommandNames.ToWire(name);

    /// <summary>Responses to commands go below this prefix; the requester picks the rest (its client id).</summary>
    public static string CommandResponsePrefix(string readerId) => ReaderRoot(readerId) + "/cmd-res/";

    /// <summary>Reader → terminal request (card check at placement).</summary>
    public static string CardCheckRequest(string readerId) => ReaderRoot(readerId) + "/req/card-check";

    public static string CardCheckResponse(string readerId) => ReaderRoot(readerId) + "/req-res";

    public static string TerminalStatus(string terminalId) => $"{Root}/term/{terminalId}/status";

    public static string PairingUp(string clientId) => $"{Root}/pair/{clientId}/up";

    public static string PairingDown(string clientId) => $"{Root}/pair/{clientId}/down";

    /// <summary>A filter over every reader's <paramref name="suffix"/> topic, for the terminal.</summary>
    public static string AllReaders(string suffix) => $"{Root}/dev/+/{suffix}";

    /// <summary>Splits <c>cr/v1/dev/{id}/{rest}</c>; false for any other topic.</summary>
    public static bool TryParseReaderTopic(string topic, out string readerId, out string rest)
    {
        ArgumentNullException.ThrowIfNull(topic);
        readerId = string.Empty;
        rest = string.Empty;
        const string prefix = Root + "/dev/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        int slash = topic.IndexOf('/', prefix.Length);
        if (slash <= prefix.Length || slash == topic.Length - 1)
        {
            return false;
        }

        readerId = topic[prefix.Length..slash];
        rest = topic[(slash + 1)..];
        return true;
    }
}
