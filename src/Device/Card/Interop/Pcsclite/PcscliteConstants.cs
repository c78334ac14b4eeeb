namespace Reader.Card.Interop.Pcsclite;

/// <summary>Constants from pcsclite.h, verbatim.</summary>
internal static class PcscliteConstants
{
    public const int MAX_ATR_SIZE = 33;
    public const int MAX_READERNAME = 128;

    public const uint SCARD_SCOPE_SYSTEM = 0x0002;

    public const uint SCARD_SHARE_EXCLUSIVE = 0x0001;
    public const uint SCARD_SHARE_SHARED = 0x0002;
    public const uint SCARD_SHARE_DIRECT = 0x0003;

    public const uint SCARD_PROTOCOL_T0 = 0x0001;
    public const uint SCARD_PROTOCOL_T1 = 0x0002;
    public const uint SCARD_PROTOCOL_RAW = 0x0004;

    public const uint SCARD_LEAVE_CARD = 0x0000;
    public const uint SCARD_RESET_CARD = 0x0001;
    public const uint SCARD_UNPOWER_CARD = 0x0002;
    public const uint SCARD_EJECT_CARD = 0x0003;

    public const uint SCARD_STATE_UNAWARE = 0x0000;
    public const uint SCARD_STATE_IGNORE = 0x0001;
    public const uint SCARD_STATE_CHANGED = 0x0002;
    public const uint SCARD_STATE_UNKNOWN = 0x0004;
    public const uint SCARD_STATE_UNAVAILABLE = 0x0008;
    public const uint SCARD_STATE_EMPTY = 0x0010;
    public const uint SCARD_STATE_PRESENT = 0x0020;
    public const uint SCARD_STATE_ATRMATCH = 0x0040;
    public const uint SCARD_STATE_EXCLUSIVE = 0x0080;
    public const uint SCARD_STATE_INUSE = 0x0100;
    public const uint SCARD_STATE_MUTE = 0x0200;
    public const uint SCARD_STATE_UNPOWERED = 0x0400;

    public const uint INFINITE = 0xFFFFFFFF;

    /// <summary>pcsc-lite's SCARD_CTL_CODE(code) = 0x42000000 + code (reader.h).</summary>
    public const uint SCARD_CTL_CODE_BASE = 0x42000000;

    /// <summary>PC/SC part 10: asks the reader driver which features it offers (TLV: tag, 4, control code big-endian).</summary>
    public const uint CM_IOCTL_GET_FEATURE_REQUEST = SCARD_CTL_CODE_BASE + 3400;

    /// <summary>PC/SC part 10 v2.02.09 feature: the reader's properties as TLVs (values little-endian).</summary>
    public const byte FEATURE_GET_TLV_PROPERTIES = 0x12;

    /// <summary>Property of FEATURE_GET_TLV_PROPERTIES: the largest APDU data field the reader carries (0 = short APDUs only); tag 10 (0x0A), reader.h.</summary>
    public const byte PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize = 0x0A;

    /// <summary>The pseudo reader whose state changes when a reader is added or removed.</summary>
    public const string PnPNotification = @"\\?PnP?\Notification";

    public const uint SCARD_S_SUCCESS = 0x00000000;
    public const uint SCARD_F_INTERNAL_ERROR = 0x80100001;
    public const uint SCARD_E_CANCELLED = 0x80100002;
    public const uint SCARD_E_INVALID_HANDLE = 0x80100003;
    public const uint SCARD_E_INVALID_PARAMETER = 0x80100004;
    public const uint SCARD_E_INVALID_TARGET = 0x80100005;
    public const uint SCARD_E_NO_MEMORY = 0x80100006;
    public const uint SCARD_F_WAITED_TOO_LONG = 0x80100007;
    public const uint SCARD_E_INSUFFICIENT_BUFFER = 0x80100008;
    public const uint SCARD_E_UNKNOWN_READER = 0x80100009;
    public const uint SCARD_E_TIMEOUT = 0x8010000A;
    public const uint SCARD_E_SHARING_VIOLATION = 0x8010000B;
    public const uint SCARD_E_NO_SMARTCARD = 0x8010000C;
    public const uint SCARD_E_UNKNOWN_CARD = 0x8010000D;
    public const uint SCARD_E_CANT_DISPOSE = 0x8010000E;
    public const uint SCARD_E_PROTO_MISMATCH = 0x8010000F;
    public const uint SCARD_E_NOT_READY = 0x80100010;
    public const uint SCARD_E_INVALID_VALUE = 0x80100011;
    public const uint SCARD_E_SYSTEM_CANCELLED = 0x80100012;
    public const uint SCARD_F_COMM_ERROR = 0x80100013;
    public const uint SCARD_F_UNKNOWN_ERROR = 0x80100014;
    public const uint SCARD_E_INVALID_ATR = 0x80100015;
    public const uint SCARD_E_NOT_TRANSACTED = 0x80100016;
    public const uint SCARD_E_READER_UNAVAILABLE = 0x80100017;
    public const uint SCARD_E_NO_SERVICE = 0x8010001D;
    public const uint SCARD_E_SERVICE_STOPPED = 0x8010001E;
    public const uint SCARD_E_UNEXPECTED = 0x8010001F;
    /// <summary>pcsc-lite's value (the same as SCARD_E_UNEXPECTED; Windows uses 0x80100022): e.g. SCardControl of a code the driver lacks.</summary>
    public const uint SCARD_E_UNSUPPORTED_FEATURE = 0x8010001F;
    public const uint SCARD_E_NO_READERS_AVAILABLE = 0x8010002E;
    public const uint SCARD_W_UNSUPPORTED_CARD = 0x80100065;
    public const uint SCARD_W_UNRESPONSIVE_CARD = 0x80100066;
    public const uint SCARD_W_UNPOWERED_CARD = 0x80100067;
    public const uint SCARD_W_RESET_CARD = 0x80100068;
    public const uint SCARD_W_REMOVED_CARD = 0x80100069;
}
