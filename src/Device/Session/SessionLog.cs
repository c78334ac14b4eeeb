using Microsoft.Extensions.Logging;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>The session's log lines: ids, phases, codes and decisions only — never a PIN, 照合番号B, photo, score or certificate.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: card placed (card event {CardEventId})")]
    public static partial void Placed(ILogger logger, string sessionId, long cardEventId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "screen {Phase}")]
    public static partial void Screen(ILogger logger, Phase phase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: card cannot be used ({Code})")]
    public static partial void CardUnusable(ILogger logger, string sessionId, CardErrorCode code);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: face path unavailable ({Reason})")]
    public static partial void FaceUnavailable(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: face attempt {Attempt}: {Decision} ({Band})")]
    public static partial void FaceDecided(ILogger logger, string sessionId, int attempt, Reader.Vision.Decision decision, Reader.Vision.ScoreBand band);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: card-face look {Look}: {Problem}")]
    public static partial void CardFaceLook(ILogger logger, string sessionId, int look, Reader.CardFace.Reading.CardFaceProblem problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session {SessionId}: the printed expiry read by OCR differs from the chip's (DF29); the chip's photo is used, the OCR read was wrong")]
    public static partial void CardFaceDisagreesWithChip(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: staff called")]
    public static partial void StaffCalled(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "mode {Previous} -> {Mode}")]
    public static partial void Mode(ILogger logger, ReaderMode previous, ReaderMode mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: result stored in the outbox (already there: {AlreadySubmitted})")]
    public static partial void Submitted(ILogger logger, string sessionId, bool alreadySubmitted);

    [LoggerMessage(Level = LogLevel.Error, Message = "session {SessionId}: the result could not be stored ({Reason})")]
    public static partial void SubmitFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: aborted ({Reason})")]
    public static partial void Aborted(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "session {SessionId}: ended (card taken)")]
    public static partial void Ended(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session job failed ({Error})")]
    public static partial void JobFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "session: input {Input} failed ({Error}); the session is aborted")]
    public static partial void InputFailed(ILogger logger, string input, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "facility configuration {Version}: {Items} consent items, e-prescription {EPrescription}")]
    public static partial void FacilityConfigured(ILogger logger, int version, int items, bool ePrescription);
}
