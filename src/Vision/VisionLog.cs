using Microsoft.Extensions.Logging;
using Reader.Imaging;

namespace Reader.Vision;

/// <summary>The library's log events: about models and runtime only, never about faces.</summary>
internal static partial class VisionLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "face models loaded from {Directory} on ONNX Runtime {Version}, {Threads} intra-op threads, match threshold {Threshold}")]
    internal static partial void ModelsLoaded(ILogger logger, string directory, string version, int threads, double threshold);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "card photo unreadable: {Code}")]
    internal static partial void CardPhotoUnreadable(ILogger logger, ImageErrorCode code);
}
