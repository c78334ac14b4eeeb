using System.Security.Cryptography;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using Reader.Vision;
using Decision = Reader.Vision.Decision;
using ScoreBand = Reader.Vision.ScoreBand;
using CardErrorScreen = Reader.Kiosk.Contract.KioskScreen.CardError;

namespace Reader.Device.Session;

// The face path: 照合番号B → chip photo → genuineness → enrolled template (prefetched while the patient
// chooses), the camera warmed up at placement, then up to N attempts with live guidance and the challenge.
internal sealed partial class SessionMachine
{
    /// <summary>Whether to get the face path ready now: automatic mode and prefetching, or the patient chose face.</summary>
    /// <summary>
    /// The face path is chosen, or (with prefetch) no method is chosen yet. Once the patient chose the PIN or staff, the
    /// card is not sent 照合番号B: a misread would cost that patient a try of a credential they did not use.
    /// </summary>
    private bool FaceWanted(Visit visit) =>
        _mode == ReaderMode.Automatic && visit.FaceUnavailableReason is null
        && (visit.Method == VerificationMethod.Face || (visit.Method is null && _settings.PrefetchCardFace));

    private void StartCamera(Visit visit)
    {
        if (visit.CameraStarting)
        {
            return;
        }

        visit.CameraStarting = true;
        var ports = _ports;
        Job(visit, async token =>
        {
            var lease = await Task.Run(ports.Camera.Acquire, token);
            try
            {
                // The first frame proves the camera works and warms the face pipeline up before it is needed.
                using var frame = await lease.Source.NextFrameAsync(token) ?? throw new Reader.Camera.CameraException(Reader.Camera.CameraErrorCode.IoError, "the camera source ended");
                ports.Face.Analyze(frame.Image);
                return new CameraReady(visit.SessionId, lease);
            }
            catch
            {
                await lease.DisposeAsync();
                throw;
            }
        }, e => e is FaceModelUnavailableException
            ? new FaceUnavailable(visit.SessionId, FaceModelUnavailableException.Code, Forged: false)
            : new CameraFailed(visit.SessionId, e.GetType().Name));
    }

    /// <summary>Looks of the card-face camera per placement (frames read by OCR); then the patient re-places the card.</summary>
    internal const int CardFaceLooks = 3;

    /// <summary>Between looks while the patient is asked to fix the card; silently (before the face path) a shorter pause.</summary>
    private static readonly TimeSpan PromptedLookDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SilentLookDelay = TimeSpan.FromSeconds(0.7);

    /// <summary>The next look of the card-face camera (after <paramref name="delay"/>), unless one runs or none is needed.</summary>
    private void StartCardFaceLook(Visit visit, TimeSpan delay)
    {
        if (visit.CardFaceLooking || visit.CardFaceGaveUp || visit.CodeB is not null || visit.CodeBVerifySent
            || visit.CardFaceLooks >= CardFaceLooks || visit.FaceUnavailableReason is not null)
        {
            return;
        }

        visit.CardFaceLooking = true;
        var ports = _ports;

        // The OCR pass is what the card (and so the session) waits for: an early face attempt may leave it the CPU
        // (SessionSettings.LiveWaitsForCardFaceRead). Marked here when the look starts at once, so an attempt begun next sees it.
        var looking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (delay <= TimeSpan.Zero)
        {
            visit.CardFaceLookRunning = looking.Task;
        }

        Job(visit, async token =>
        {
            Reader.CardFace.Reading.CardFaceReading reading;
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, ports.Time, token);
                    visit.CardFaceLookRunning = looking.Task;
                }

                reading = await ports.CardFace.LookAsync(visit.Reader, token);
            }
            finally
            {
                looking.TrySetResult();
            }

            if (reading.Accepted)
            {
                Milestone(ports, visit.SessionId, visit.PlacedAt, SessionMilestoneKind.CodeBRead);
            }

            return new CardFaceLooked(visit.SessionId, reading);
        }, e => new FaceUnavailable(visit.SessionId, "card-face-unavailable", Forged: false));
    }

    private void OnCardFaceLooked(Reader.CardFace.Reading.CardFaceReading reading)
    {
        var visit = _visit!;
        visit.CardFaceLooking = false;
        visit.CardFaceLooks++;
        using (reading)
        {
            if (reading.Accepted && visit.Certificate is { } certificate && !reading.AgreesWithCertificate(DateOnly.FromDateTime(Japan(certificate.NotAfter))))
            {
                reading.Refuse(Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            }

            SessionLog.CardFaceLook(_logger, visit.SessionId, visit.CardFaceLooks, reading.Problem);
            if (reading.Accepted)
            {
                visit.CardFaceProblem = Reader.CardFace.Reading.CardFaceProblem.None;
                visit.PrintedExpiry = reading.PrintedExpiry;
                visit.CodeB?.Dispose();
                visit.CodeB = reading.TakeCodeB();
                if (_phase == Phase.CardFacePlacement)
                {
                    ShowFaceCapture(FaceGuidance.Checking);
                }

                StartFacePreparation(visit);
                return;
            }

            CardFaceLookFailed(visit, reading.Problem);
        }
    }

    /// <summary>A look gave no usable 照合番号B: look again (prompting the patient on the face path), or give up for this placement.</summary>
    private void CardFaceLookFailed(Visit visit, Reader.CardFace.Reading.CardFaceProblem problem)
    {
        visit.CardFaceProblem = problem;

        // An attempt begun while this look ran has no template coming from it: it stops, and starts again with the
        // next look that reads 照合番号B.
        if (visit.Template is null)
        {
            CancelAttempt(visit);
        }

        var onFacePath = visit.Method == VerificationMethod.Face && _phase is Phase.FaceCapture or Phase.CardFacePlacement;
        if (visit.CardFaceLooks < CardFaceLooks)
        {
            if (onFacePath)
            {
                ShowCardFacePlacement(visit);
            }

            StartCardFaceLook(visit, onFacePath ? PromptedLookDelay : SilentLookDelay);
            return;
        }

        visit.CardFaceGaveUp = true;
        if (onFacePath)
        {
            CardFaceUnreadable(visit);
        }
    }

    private void ShowCardFacePlacement(Visit visit)
    {
        var guidance = visit.CardFaceProblem switch
        {
            Reader.CardFace.Reading.CardFaceProblem.NoCard => CardFaceGuidance.PlaceCard,
            Reader.CardFace.Reading.CardFaceProblem.Skewed => CardFaceGuidance.Straighten,
            Reader.CardFace.Reading.CardFaceProblem.Obstructed or Reader.CardFace.Reading.CardFaceProblem.Glare => CardFaceGuidance.Uncover,
            _ => CardFaceGuidance.Replace,
        };
        Show(Phase.CardFacePlacement, new KioskScreen.CardFacePlacement(guidance, Math.Min(visit.CardFaceLooks + 1, CardFaceLooks), CardFaceLooks, PinOffered(visit)), countdown: true);
    }

    /// <summary>No look of this placement was readable: the terminal learns why; the patient may re-place the card, use the PIN or call staff.</summary>
    private void CardFaceUnreadable(Visit visit)
    {
        Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Error, ReasonCodes.CardFaceUnreadable));
        ShowFaceFailed(FaceFailureReason.CardFaceUnreadable, retry: false);
    }

    /// <summary>Photo, genuineness and enrolment, queued on the card after the PIN status (the method screen needs that first).</summary>
    private void StartFacePreparation(Visit visit)
    {
        if (visit.FacePreparing || visit.Template is not null || visit.FaceUnavailableReason is not null || visit.CodeB is null || visit.Pin is null
            || visit.CodeBVerifySent || !FaceWanted(visit))
        {
            return;
        }

        // The certificate is known by now (the PIN status is read after it): the printed expiry must go with it.
        if (visit.Certificate is { } certificate && visit.PrintedExpiry is { } printed && !ExpiryAgrees(printed, DateOnly.FromDateTime(Japan(certificate.NotAfter))))
        {
            visit.CodeB.Dispose();
            visit.CodeB = null;
            SessionLog.CardFaceLook(_logger, visit.SessionId, visit.CardFaceLooks, Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            CardFaceLookFailed(visit, Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            return;
        }

        // The one VERIFY of this placement: whatever the card answers, 照合番号B is never sent to it again.
        visit.CodeBVerifySent = true;
        visit.FacePreparing = true;
        var code = visit.CodeB;
        visit.CodeB = null; // the job owns and wipes it from here
        var printedExpiry = visit.PrintedExpiry;
        var ports = _ports;
        var post = _post;
        var logger = _logger;
        Job(visit, token => PrepareFaceAsync(ports, visit, code, printedExpiry, logger, post, token), e => FacePreparationFailed(visit.SessionId, e));

        // On the face screen already (the patient chose face before 照合番号B was read): the attempt starts now.
        TryStartAttempt();
    }

    /// <summary>The certificate ends on or before the card (a day's slack) and at most 5 years before it (see CardFaceReading).</summary>
    private static bool ExpiryAgrees(DateOnly printedExpiry, DateOnly certificateLastDay) =>
        certificateLastDay <= printedExpiry.AddDays(1) && printedExpiry.Year - certificateLastDay.Year <= 5;

    /// <summary>
    /// The photo (照合番号B, EF 0002 with its signature), enrolled as soon as its bytes are in: the card reads the photo
    /// first and sends the rest of the record and its signature while the CPU enrols, and the template is kept only if
    /// the signature-checked photo is the one enrolled (<see cref="PhotoAheadEnrolment"/>). Meanwhile the chip proves
    /// it is genuine (its ≈ 250 ms RSA signature, when not signed ahead, overlaps the attempt). The chip's DF29 expiry
    /// is compared with the printed one read by OCR (a mismatch is logged, without values).
    /// </summary>
    private static async Task<SessionInput?> PrepareFaceAsync(SessionPorts ports, Visit visit, SecretDigits code, DateOnly? printedExpiry, Microsoft.Extensions.Logging.ILogger logger, Action<SessionInput> post, CancellationToken token)
    {
        PhotoAheadEnrolment? ahead = null;
        try
        {
            ICardFacePhoto photo;
            try
            {
                photo = await visit.Card.RunAsync((card, t) => card.ReadCardFaceAsync(code, jp2 => ahead ??= PhotoAheadEnrolment.Start(ports.Face, jp2), t), token);
            }
            finally
            {
                code.Dispose();
            }

            using (photo)
            {
                Milestone(ports, visit.SessionId, visit.PlacedAt, SessionMilestoneKind.PhotoRead);
                if (printedExpiry is { } printed && photo.Expiry is { } chip && printed != chip)
                {
                    SessionLog.CardFaceDisagreesWithChip(logger, visit.SessionId);
                }

                if (photo.Authenticity != CardFaceAuthenticity.Verified)
                {
                    // The card reads only verified faces; anything else here is treated as forged, never matched.
                    return new FaceUnavailable(visit.SessionId, "not-genuine", Forged: true);
                }

                // Off this thread: a PC/SC transmit blocks inline, and the card should work while the CPU enrols.
                var proof = Task.Run(() => visit.Card.RunAsync((card, t) => card.ProveChipGenuineAsync(photo, t), token), token);
                IFaceTemplate? template;
                try
                {
                    template = ahead is not null && await ahead.TakeIfSameAsync(photo.Jp2) is { } enrolled
                        ? enrolled.Template
                        : ports.Face.Enrol(photo.Jp2.Span);
                }
                catch
                {
                    await proof.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    throw;
                }

                if (template is null)
                {
                    await proof.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return new FaceUnavailable(visit.SessionId, "no-face-in-photo", Forged: false);
                }

                Milestone(ports, visit.SessionId, visit.PlacedAt, SessionMilestoneKind.TemplateEnrolled);
                post(new FacePrepared(visit.SessionId, template, new FacePreparation(photo.Authenticity, photo.IssuerKeyId)));
                var genuine = await proof;
                Milestone(ports, visit.SessionId, visit.PlacedAt, SessionMilestoneKind.ChipVerified);
                return new ChipProved(visit.SessionId, genuine);
            }
        }
        finally
        {
            // Whatever ended this (the read failing included): a template enrolled ahead and not taken is dropped, its copy
            // of the photo wiped.
            if (ahead is not null)
            {
                await ahead.AbandonAsync();
            }
        }
    }

    private static SessionInput FacePreparationFailed(string sessionId, Exception exception)
    {
        if (exception is FaceModelUnavailableException)
        {
            return new FaceUnavailable(sessionId, FaceModelUnavailableException.Code, Forged: false);
        }

        var error = CardFailures.ToError(exception);
        return error.Code switch
        {
            CardErrorCode.CardRemoved => new CardFailed(sessionId, error),
            CardErrorCode.SignatureInvalid => new FaceUnavailable(sessionId, "not-genuine", Forged: true),

            // A card whose issuer this reader does not trust (a test card, a key it does not carry): PIN or 目視.
            CardErrorCode.IssuerNotConfigured => new FaceUnavailable(sessionId, "issuer-not-trusted", Forged: false),
            CardErrorCode.FaceCodeWrong or CardErrorCode.FaceCodeLocked => new FaceUnavailable(sessionId, "code-b-refused", Forged: false, error.TriesLeft),
            _ => new FaceUnavailable(sessionId, "card-face-unreadable", Forged: false),
        };
    }

    private void OnFacePrepared(FacePrepared prepared)
    {
        var visit = _visit!;
        visit.FacePreparing = false;
        visit.Template?.Dispose();
        visit.Template = prepared.Template;
        visit.TemplateReady.TrySetResult(prepared.Template);
        visit.FaceEvidence = prepared.Evidence;
        TryStartAttempt();
    }

    private void OnChipProved(bool genuine)
    {
        var visit = _visit!;
        visit.ChipGenuine = genuine;
        if (!genuine)
        {
            OnFaceUnavailable(new FaceUnavailable(visit.SessionId, "not-genuine", Forged: true));
            return;
        }

        if (visit.FaceMatchAwaitingChip && _phase == Phase.FaceCapture)
        {
            visit.FaceMatchAwaitingChip = false;
            FacePassed(visit);
        }
    }

    private void OnFaceUnavailable(FaceUnavailable unavailable)
    {
        var visit = _visit!;
        visit.FacePreparing = false;
        SessionLog.FaceUnavailable(_logger, visit.SessionId, unavailable.Reason);
        if (visit.Template is null)
        {
            // An attempt begun while the photo was being read and enrolled: without a template it cannot decide.
            CancelAttempt(visit);
        }

        if (unavailable.Forged)
        {
            AbortWithCardError(ReasonCodes.CardUnreadable, new CardErrorScreen(CardErrorKind.Other, SessionCodes.NotGenuine));
            return;
        }

        visit.FaceUnavailableReason ??= unavailable.Reason;
        if (unavailable.Reason == "code-b-refused" && !visit.CodeBRefused)
        {
            // No second VERIFY on this placement: the terminal learns why and how many tries the card has left; the
            // patient is offered the PIN or staff (目視).
            visit.CodeBRefused = true;
            Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Failed, ReasonCodes.CardFaceRefused, unavailable.TriesLeft));
            if (_phase is Phase.FaceCapture or Phase.CardFacePlacement && !visit.AttemptRunning)
            {
                ShowFaceFailed(FaceFailureReason.CardFaceRefused, retry: false);
            }
            else if (_phase == Phase.MethodChoice)
            {
                ShowMethodChoice(); // prefetched before the choice: face is no longer offered
            }

            return;
        }

        if (unavailable.Reason == FaceModelUnavailableException.Code && _phase is Phase.FaceCapture or Phase.CardFacePlacement && !visit.AttemptRunning)
        {
            // The face models did not load: the terminal learns the face path failed on the device, and the patient is
            // offered what is left (the PIN, or staff when the card has none) instead of a face that can never match.
            Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Error, ReasonCodes.DeviceError));
            ShowMethodChoice();
            return;
        }

        switch (_phase)
        {
            case Phase.MethodChoice:
                ShowMethodChoice();
                break;
            case Phase.PinLocked:
                Refresh(new KioskScreen.PinLocked(FaceOffered(visit)));
                break;
            case Phase.FaceCapture or Phase.CardFacePlacement when !visit.AttemptRunning:
                Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Error, ReasonCodes.DeviceError));
                ShowFaceFailed(FaceFailureReason.TimedOut, retry: false);
                break;
        }
    }

    private void OnCameraReady(CameraLease lease)
    {
        var visit = _visit!;
        visit.Camera = lease;
        visit.CameraReady = true;
        TryStartAttempt();
    }

    private void OnCameraFailed(string reason) =>
        OnFaceUnavailable(new FaceUnavailable(_visit!.SessionId, "camera-" + reason, Forged: false));

    private void BeginFace()
    {
        var visit = _visit!;
        visit.Method = VerificationMethod.Face;
        Publish(SessionEvents.MethodChosen(visit.SessionId, VerificationMethod.Face));
        Milestone(visit, SessionMilestoneKind.MethodChosen);
        if (visit.CardFaceGaveUp)
        {
            CardFaceUnreadable(visit);
            return;
        }

        // Attempts count for the whole visit (face → PIN → back → face does not start again at 1).
        visit.FaceAttempt++;
        StartCamera(visit);
        StartCardFaceLook(visit, TimeSpan.Zero);
        StartFacePreparation(visit);
        if (visit.CodeB is null && visit.Template is null && !visit.FacePreparing && visit.CardFaceProblem != Reader.CardFace.Reading.CardFaceProblem.None)
        {
            // Earlier looks failed: tell the patient what to do while the reader looks again.
            ShowCardFacePlacement(visit);
            return;
        }

        ShowFaceCapture(FaceGuidance.Checking);
        TryStartAttempt();
    }

    private void ShowFaceCapture(FaceGuidance guidance) =>
        Show(Phase.FaceCapture, new KioskScreen.FaceCapture(guidance, _visit!.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));

    /// <summary>
    /// Starts the attempt once the camera is ready and the template is, or is on its way (the card-face camera reading
    /// 照合番号B, or the photo being read and enrolled): the live frames are analysed while the OCR, the card and the
    /// enrolment work, and the attempt decides once the template comes (whichever comes last calls this). A look that
    /// fails or a preparation that fails stops it.
    /// </summary>
    private void TryStartAttempt()
    {
        var visit = _visit!;
        var templateComing = visit.Template is not null || visit.FacePreparing || visit.CardFaceLooking;
        if (_phase != Phase.FaceCapture || visit.AttemptRunning || !templateComing || visit.Camera is null || !visit.CameraReady)
        {
            return;
        }

        visit.AttemptRunning = true;
        var attemptNumber = visit.FaceAttempt;
        var options = new AttemptOptions
        {
            Challenge = PickChallenge(),
            Timeout = _settings.AttemptTimeout,
            PreviousNoMatchCount = visit.FaceNoMatches,
        };
        var ports = _ports;
        var camera = visit.Camera.Source;
        var template = visit.TemplateReady.Task;
        Func<Task> cardFaceLook = _settings.LiveWaitsForCardFaceRead
            ? () => visit.CardWaitsForCodeB ? visit.CardFaceLookRunning : Task.CompletedTask
            : () => Task.CompletedTask;
        var post = _post;
        visit.AttemptStop = CancellationTokenSource.CreateLinkedTokenSource(visit.Stop.Token);
        Job(visit, token => FaceAttemptJob.RunAsync(ports, visit.SessionId, attemptNumber, camera, template, cardFaceLook, options, post,
                kind => Milestone(ports, visit.SessionId, visit.PlacedAt, kind), token),
            _ => new FaceDecided(visit.SessionId, attemptNumber, new FaceOutcome(Decision.NoUsableFace, ScoreBand.None, false, Guidance.NoFace)),
            visit.AttemptStop.Token);
    }

    private ChallengeKind PickChallenge() => _settings.Challenge switch
    {
        FaceChallenge.None => ChallengeKind.None,
        FaceChallenge.TurnLeft => ChallengeKind.TurnLeft,
        FaceChallenge.TurnRight => ChallengeKind.TurnRight,
        FaceChallenge.Random => (ChallengeKind)RandomNumberGenerator.GetInt32((int)ChallengeKind.Blink, (int)ChallengeKind.TurnRight + 1),
        _ => ChallengeKind.Blink,
    };

    private void OnFaceGuidance(FaceGuidanceChanged changed)
    {
        var visit = _visit!;
        if (changed.Attempt == visit.FaceAttempt && visit.AttemptRunning)
        {
            Refresh(new KioskScreen.FaceCapture(changed.Guidance, visit.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));
        }
    }

    private void OnFaceDecided(FaceDecided decided)
    {
        var visit = _visit!;
        if (decided.Attempt != visit.FaceAttempt)
        {
            return;
        }

        visit.AttemptRunning = false;
        Milestone(visit, SessionMilestoneKind.FaceDecided);
        var outcome = decided.Outcome;
        SessionLog.FaceDecided(_logger, visit.SessionId, decided.Attempt, outcome.Decision, outcome.Band);
        if (outcome.Decision == Decision.Match && outcome.Live)
        {
            visit.FaceOutcome = outcome;
            if (visit.ChipGenuine != true)
            {
                // The face is the card's; the chip has yet to prove it is a genuine card: a moment more.
                visit.FaceMatchAwaitingChip = true;
                Refresh(new KioskScreen.FaceCapture(FaceGuidance.Checking, visit.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));
                return;
            }

            FacePassed(visit);
            return;
        }

        if (outcome.Decision == Decision.NoMatch)
        {
            visit.FaceNoMatches++;
        }

        visit.FacePathEnded |= outcome.EndsFacePath;

        var reason = outcome.Decision == Decision.Match ? Decision.NotLive : outcome.Decision;
        Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Failed, GuidanceMapping.ToReasonCode(reason)));
        ShowFaceFailed(GuidanceMapping.ToFailure(reason, outcome.Guidance), retry: FaceOffered(visit));
    }

    private void FacePassed(Visit visit)
    {
        Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Face, VerificationOutcome.Passed));
        BeginConsent();
    }

    private void ShowFaceFailed(FaceFailureReason reason, bool retry)
    {
        var visit = _visit!;
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.FaceFailed, new KioskScreen.FaceFailed(reason, visit.FaceAttempt, _settings.FaceAttempts, retry, PinOffered(visit)), countdown: true);
    }

    private void RetryFace()
    {
        var visit = _visit!;
        visit.FaceAttempt++;
        _ports.Lights.Show(IndicatorState.Working);
        ShowFaceCapture(FaceGuidance.LookAtCamera);
        TryStartAttempt();
    }

    private void CallStaff()
    {
        var visit = _visit!;
        SessionLog.StaffCalled(_logger, visit.SessionId);
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.StaffCalled, new KioskScreen.StaffCalled());
    }
}
