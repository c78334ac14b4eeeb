using Reader.Camera;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Vision;

namespace Reader.Device.Session;

/// <summary>
/// One face attempt, frame by frame from the camera: each frame goes to the preview (if the page watches) and to
/// the attempt, then is disposed (wiped); the guidance is posted when it changes and has held on the camera's clock
/// (see <see cref="GuidanceSteadier"/>); the decision ends the job.
/// The attempt may start before the card photo's template exists (<paramref name="template"/> completes when the
/// enrolment does): the live evidence is gathered meanwhile, and once complete the job waits for the template rather
/// than analysing more frames. Before the template, no frame is analysed while <paramref name="cardFaceLook"/> (the
/// card-face camera's OCR of 照合番号B) runs: the card waits for that read, the live evidence only for the enrolment. The session's own deadline (from the template's arrival) backs up the attempt's (a
/// camera that stops delivering decides too).
/// </summary>
internal static class FaceAttemptJob
{
    public static async Task<SessionInput?> RunAsync(
        SessionPorts ports,
        string sessionId,
        int attemptNumber,
        ICameraSource camera,
        Task<IFaceTemplate> template,
        Func<Task> cardFaceLook,
        AttemptOptions options,
        Action<SessionInput> post,
        Action<SessionMilestoneKind> milestone,
        CancellationToken cancellationToken)
    {
        using var attempt = ports.Face.BeginAttempt(options);
        milestone(SessionMilestoneKind.AttemptStarted);
        long? started = null;
        // The attempt's own timeout, which a step-up turn asked late may extend by its limit, with a margin.
        var limit = options.Timeout + options.StepUpTimeLimit + TimeSpan.FromSeconds(3);
        var steadier = new GuidanceSteadier();
        var awaitingTemplate = false;
        var evidenceComplete = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (started is null && (template.IsCompletedSuccessfully || awaitingTemplate))
            {
                // The session ends the attempt (cancels it) when the template cannot come.
                var decided = attempt.UseTemplate(await template.WaitAsync(cancellationToken));
                started = ports.Time.GetTimestamp();
                if (decided is not null)
                {
                    return new FaceDecided(sessionId, attemptNumber, decided);
                }
            }

            if (started is { } since && ports.Time.GetElapsedTime(since) > limit)
            {
                return new FaceDecided(sessionId, attemptNumber, attempt.Finish());
            }

            // Before the template, while the card-face camera reads 照合番号B, the OCR is the session's critical path (the
            // card waits for it; the live evidence is needed only once the photo is enrolled): no frame is analysed then,
            // though the preview, while the page watches one, keeps its frames.
            var look = started is null ? cardFaceLook() : Task.CompletedTask;
            if (!look.IsCompleted && !ports.Preview.HasWatchers)
            {
                await look.WaitAsync(cancellationToken);
                continue;
            }

            CameraFrame? frame;
            try
            {
                frame = await camera.NextFrameAsync(cancellationToken);
            }
            catch (CameraException)
            {
                // No frames: decide with what there is (usually "no usable face"), the patient may retry or use the PIN.
                return new FaceDecided(sessionId, attemptNumber, attempt.Finish());
            }

            if (frame is null)
            {
                return new FaceDecided(sessionId, attemptNumber, attempt.Finish());
            }

            FaceStep step;
            var at = frame.Timestamp;
            using (frame)
            {
                ports.Preview.Offer(frame.Image);
                if (!look.IsCompleted)
                {
                    continue;
                }

                step = attempt.Feed(frame.Image, at);
            }

            // Once per attempt: when it first waits for the template, or when it decides without having waited.
            if ((step.Outcome is not null || step.AwaitingTemplate) && !evidenceComplete)
            {
                evidenceComplete = true;
                milestone(SessionMilestoneKind.LiveEvidenceComplete);
            }

            if (step.Outcome is { } outcome)
            {
                return new FaceDecided(sessionId, attemptNumber, outcome);
            }

            awaitingTemplate = step.AwaitingTemplate;
            if (steadier.Offer(GuidanceMapping.ToScreen(step.Guidance, step.Prompt), at) is { } guidance)
            {
                post(new FaceGuidanceChanged(sessionId, attemptNumber, guidance));
            }
        }
    }
}
