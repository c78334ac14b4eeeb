namespace Reader.Card.Pcsc;

/// <summary>The small set of PC/SC failures callers act on.</summary>
public enum PcscErrorKind
{
    NoService,
    NoReader,
    NoCard,
    CardRemoved,
    CardReset,
    UnresponsiveCard,
    Timeout,
    Cancelled,
    SharingViolation,
    CommunicationError,
    InvalidHandle,
    InsufficientBuffer,
    Other,
}
