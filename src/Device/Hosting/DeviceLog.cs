using Microsoft.Extensions.Logging;

namespace Reader.Device.Hosting;

/// <summary>Source-generated log messages of the device verbs (no personal data in any of them).</summary>
internal static partial class DeviceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "card info: {Kind}, error {Error}, {Apdus} APDUs")]
    public static partial void CardInfo(ILogger logger, string kind, string error, long apdus);
}
