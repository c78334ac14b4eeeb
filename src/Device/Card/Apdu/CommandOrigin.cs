namespace Reader.Card.Apdu;

/// <summary>Who built a command: the transmit guard holds each side to its own list of command forms.</summary>
public enum CommandOrigin
{
    /// <summary>This reader's own <see cref="MyNumber.MyNumberCardClient"/> (and the transport's GET RESPONSE / 6Cxx resend).</summary>
    Reader,

    /// <summary>The clinic terminal, through the relay-apdu command: only 特定機関認証 on the JPKI application.</summary>
    Relay,
}
