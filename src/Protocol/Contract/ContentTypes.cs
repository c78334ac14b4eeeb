namespace Reader.Protocol.Contract;

/// <summary>MQTT 5 Content Type of each message kind; the major version also sits in the topic and the body ("v").</summary>
public static class ContentTypes
{
    public const string Status = "application/vnd.cr.status+json;v=1";
    public const string Info = "application/vnd.cr.info+json;v=1";
    public const string Event = "application/vnd.cr.event+json;v=1";
    public const string Result = "application/vnd.cr.result+json;v=1";
    public const string ResultAck = "application/vnd.cr.result-ack+json;v=1";
    public const string Command = "application/vnd.cr.command+json;v=1";
    public const string CommandResponse = "application/vnd.cr.command-response+json;v=1";
    public const string CardCheck = "application/vnd.cr.card-check+json;v=1";
    public const string TerminalStatus = "application/vnd.cr.terminal-status+json;v=1";
    public const string Pairing = "application/vnd.cr.pairing+json;v=1";
}

public static class ContractVersion
{
    /// <summary>Major.minor of this contract. Minor versions only add optional fields; readers ignore unknown ones.</summary>
    public const string Current = "1.0";

    public const int Major = 1;
}
