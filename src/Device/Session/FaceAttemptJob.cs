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
/// than analysing more frames. The session's own deadline (from the template's arrival) backs up the attempt's (a
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
        AttemptOptions options,
        Action<SessionInput> post,
        CancellationToken cancellationToken)
    {
        using var attempt = ports.Face.BeginAttempt(options);
        long? started = null;
        // The attempt's own timeout, which a step-up turn asked late may extend by its limit, with a margin.
        var limit = options.Timeout + options.StepUpTimeLimit + TimeSpan.FromSeconds(3);
        var steadier = new GuidanceSteadier();
        var awaitingTemplate = false;
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
                step = attempt.Feed(frame.Image, at);
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
