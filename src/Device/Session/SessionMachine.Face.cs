using System.Security.Cryptography;
using Reader.Card;
using Reader.Card.MyNumber;
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
    private bool FaceWanted(Patient patient) =>
        _mode == ReaderMode.Automatic && patient.FaceUnavailableReason is null
        && (patient.Method == VerificationMethod.Face || (patient.Method is null && _settings.PrefetchCardFace));

    private void StartCamera(Patient patient)
    {
        if (patient.CameraStarting)
        {
            return;
        }

        patient.CameraStarting = true;
        var ports = _ports;
        Job(patient, async token =>
        {
            var lease = await Task.Run(ports.Camera.Acquire, token);
            try
            {
                // The first frame proves the camera works and warms the face pipeline up before it is needed.
                using var frame = await lease.Source.NextFrameAsync(token) ?? throw new Reader.Camera.CameraException(Reader.Camera.CameraErrorCode.IoError, "the camera source ended");
                ports.Face.Analyze(frame.Image);
                return new CameraReady(patient.SessionId, lease);
            }
            catch
            {
                await lease.DisposeAsync();
                throw;
            }
        }, e => new CameraFailed(patient.SessionId, e.GetType().Name));
    }

    /// <summary>Looks of the card-face camera per placement (frames read by OCR); then the patient re-places the card.</summary>
    internal const int CardFaceLooks = 3;

    /// <summary>Between looks while the patient is asked to fix the card; silently (before the face path) a shorter pause.</summary>
    private static readonly TimeSpan PromptedLookDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SilentLookDelay = TimeSpan.FromSeconds(0.7);

    /// <summary>The next look of the card-face camera (after <paramref name="delay"/>), unless one runs or none is needed.</summary>
    private void StartCardFaceLook(Patient patient, TimeSpan delay)
    {
        if (patient.CardFaceLooking || patient.CardFaceGaveUp || patient.CodeB is not null || patient.CodeBVerifySent
            || patient.CardFaceLooks >= CardFaceLooks || patient.FaceUnavailableReason is not null)
        {
            return;
        }

        patient.CardFaceLooking = true;
        var ports = _ports;
        Job(patient, async token =>
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ports.Time, token);
            }

            var reading = await ports.CardFace.LookAsync(patient.Reader, token);
            if (reading.Accepted)
            {
                Milestone(ports, patient.SessionId, patient.PlacedAt, SessionMilestoneKind.CodeBRead);
            }

            return new CardFaceLooked(patient.SessionId, reading);
        }, e => new FaceUnavailable(patient.SessionId, "card-face-unavailable", Forged: false));
    }

    private void OnCardFaceLooked(Reader.CardFace.Reading.CardFaceReading reading)
    {
        var patient = _patient!;
        patient.CardFaceLooking = false;
        patient.CardFaceLooks++;
        using (reading)
        {
            if (reading.Accepted && patient.Certificate is { } certificate && !reading.AgreesWithCertificate(DateOnly.FromDateTime(Japan(certificate.NotAfter))))
            {
                reading.Refuse(Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            }

            SessionLog.CardFaceLook(_logger, patient.SessionId, patient.CardFaceLooks, reading.Problem);
            if (reading.Accepted)
            {
                patient.CardFaceProblem = Reader.CardFace.Reading.CardFaceProblem.None;
                patient.PrintedExpiry = reading.PrintedExpiry;
                patient.CodeB?.Dispose();
                patient.CodeB = reading.TakeCodeB();
                if (_phase == Phase.CardFacePlacement)
                {
                    ShowFaceCapture(FaceGuidance.Checking);
                }

                StartFacePreparation(patient);
                return;
            }

            CardFaceLookFailed(patient, reading.Problem);
        }
    }

    /// <summary>A look gave no usable 照合番号B: look again (prompting the patient on the face path), or give up for this placement.</summary>
    private void CardFaceLookFailed(Patient patient, Reader.CardFace.Reading.CardFaceProblem problem)
    {
        patient.CardFaceProblem = problem;
        var onFacePath = patient.Method == VerificationMethod.Face && _phase is Phase.FaceCapture or Phase.CardFacePlacement;
        if (patient.CardFaceLooks < CardFaceLooks)
        {
            if (onFacePath)
            {
                ShowCardFacePlacement(patient);
            }

            StartCardFaceLook(patient, onFacePath ? PromptedLookDelay : SilentLookDelay);
            return;
        }

        patient.CardFaceGaveUp = true;
        if (onFacePath)
        {
            CardFaceUnreadable(patient);
        }
    }

    private void ShowCardFacePlacement(Patient patient)
    {
        var guidance = patient.CardFaceProblem switch
        {
            Reader.CardFace.Reading.CardFaceProblem.NoCard => CardFaceGuidance.PlaceCard,
            Reader.CardFace.Reading.CardFaceProblem.Skewed => CardFaceGuidance.Straighten,
            Reader.CardFace.Reading.CardFaceProblem.Obstructed or Reader.CardFace.Reading.CardFaceProblem.Glare => CardFaceGuidance.Uncover,
            _ => CardFaceGuidance.Replace,
        };
        Show(Phase.CardFacePlacement, new KioskScreen.CardFacePlacement(guidance, Math.Min(patient.CardFaceLooks + 1, CardFaceLooks), CardFaceLooks, PinOffered(patient)), countdown: true);
    }

    /// <summary>No look of this placement was readable: the terminal learns why; the patient may re-place the card, use the PIN or call staff.</summary>
    private void CardFaceUnreadable(Patient patient)
    {
        Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Face, VerificationOutcome.Error, ReasonCodes.CardFaceUnreadable));
        ShowFaceFailed(FaceFailureReason.CardFaceUnreadable, retry: false);
    }

    /// <summary>Photo, genuineness and enrolment, queued on the card after the PIN status (the method screen needs that first).</summary>
    private void StartFacePreparation(Patient patient)
    {
        if (patient.FacePreparing || patient.Template is not null || patient.FaceUnavailableReason is not null || patient.CodeB is null || patient.Pin is null
            || patient.CodeBVerifySent || !FaceWanted(patient))
        {
            return;
        }

        // The certificate is known by now (the PIN status is read after it): the printed expiry must go with it.
        if (patient.Certificate is { } certificate && patient.PrintedExpiry is { } printed && !ExpiryAgrees(printed, DateOnly.FromDateTime(Japan(certificate.NotAfter))))
        {
            patient.CodeB.Dispose();
            patient.CodeB = null;
            SessionLog.CardFaceLook(_logger, patient.SessionId, patient.CardFaceLooks, Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            CardFaceLookFailed(patient, Reader.CardFace.Reading.CardFaceProblem.CertificateDisagrees);
            return;
        }

        // The one VERIFY of this placement: whatever the card answers, 照合番号B is never sent to it again.
        patient.CodeBVerifySent = true;
        patient.FacePreparing = true;
        var code = patient.CodeB;
        patient.CodeB = null; // the job owns and wipes it from here
        var printedExpiry = patient.PrintedExpiry;
        var ports = _ports;
        var post = _post;
        var logger = _logger;
        Job(patient, token => PrepareFaceAsync(ports, patient, code, printedExpiry, logger, post, token), e => FacePreparationFailed(patient.SessionId, e));
    }

    /// <summary>The certificate ends on or before the card (a day's slack) and at most 5 years before it (see CardFaceReading).</summary>
    private static bool ExpiryAgrees(DateOnly printedExpiry, DateOnly certificateLastDay) =>
        certificateLastDay <= printedExpiry.AddDays(1) && printedExpiry.Year - certificateLastDay.Year <= 5;

    /// <summary>
    /// The photo (照合番号B, EF 0002 with its signature), enrolled at once so the attempt can start; meanwhile the chip
    /// proves it is genuine (its ≈ 250 ms RSA signature on the card overlaps the enrolment on the CPU and the attempt).
    /// The chip's DF29 expiry is compared with the printed one read by OCR (a mismatch is logged, without values).
    /// </summary>
    private static async Task<SessionInput?> PrepareFaceAsync(SessionPorts ports, Patient patient, SecretDigits code, DateOnly? printedExpiry, Microsoft.Extensions.Logging.ILogger logger, Action<SessionInput> post, CancellationToken token)
    {
        ICardFacePhoto photo;
        try
        {
            photo = await patient.Card.RunAsync((card, t) => card.ReadCardFaceAsync(code, t), token);
        }
        finally
        {
            code.Dispose();
        }

        using (photo)
        {
            Milestone(ports, patient.SessionId, patient.PlacedAt, SessionMilestoneKind.PhotoRead);
            if (printedExpiry is { } printed && photo.Expiry is { } chip && printed != chip)
            {
                SessionLog.CardFaceDisagreesWithChip(logger, patient.SessionId);
            }

            if (photo.Authenticity != CardFaceAuthenticity.Verified)
            {
                // The card reads only verified faces; anything else here is treated as forged, never matched.
                return new FaceUnavailable(patient.SessionId, "not-genuine", Forged: true);
            }

            // Off this thread: a PC/SC transmit blocks inline, and the card should work while the CPU enrols.
            var proof = Task.Run(() => patient.Card.RunAsync((card, t) => card.ProveChipGenuineAsync(photo, t), token), token);
            IFaceTemplate? template;
            try
            {
                template = ports.Face.Enrol(photo.Jp2.Span);
            }
            catch
            {
                await proof.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                throw;
            }

            if (template is null)
            {
                await proof.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return new FaceUnavailable(patient.SessionId, "no-face-in-photo", Forged: false);
            }

            Milestone(ports, patient.SessionId, patient.PlacedAt, SessionMilestoneKind.TemplateEnrolled);
            post(new FacePrepared(patient.SessionId, template, new FacePreparation(photo.Authenticity, photo.IssuerKeyId)));
            var genuine = await proof;
            Milestone(ports, patient.SessionId, patient.PlacedAt, SessionMilestoneKind.ChipVerified);
            return new ChipProved(patient.SessionId, genuine);
        }
    }

    private static SessionInput FacePreparationFailed(string sessionId, Exception exception)
    {
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
        var patient = _patient!;
        patient.FacePreparing = false;
        patient.Template?.Dispose();
        patient.Template = prepared.Template;
        patient.FaceEvidence = prepared.Evidence;
        TryStartAttempt();
    }

    private void OnChipProved(bool genuine)
    {
        var patient = _patient!;
        patient.ChipGenuine = genuine;
        if (!genuine)
        {
            OnFaceUnavailable(new FaceUnavailable(patient.SessionId, "not-genuine", Forged: true));
            return;
        }

        if (patient.FaceMatchAwaitingChip && _phase == Phase.FaceCapture)
        {
            patient.FaceMatchAwaitingChip = false;
            FacePassed(patient);
        }
    }

    private void OnFaceUnavailable(FaceUnavailable unavailable)
    {
        var patient = _patient!;
        patient.FacePreparing = false;
        SessionLog.FaceUnavailable(_logger, patient.SessionId, unavailable.Reason);
        if (unavailable.Forged)
        {
            AbortWithCardError(ReasonCodes.CardUnreadable, new CardErrorScreen(CardErrorKind.Other, SessionCodes.NotGenuine));
            return;
        }

        patient.FaceUnavailableReason ??= unavailable.Reason;
        if (unavailable.Reason == "code-b-refused" && !patient.CodeBRefused)
        {
            // No second VERIFY on this placement: the terminal learns why and how many tries the card has left; the
            // patient is offered the PIN or staff (目視).
            patient.CodeBRefused = true;
            Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Face, VerificationOutcome.Failed, ReasonCodes.CardFaceRefused, unavailable.TriesLeft));
            if (_phase is Phase.FaceCapture or Phase.CardFacePlacement && !patient.AttemptRunning)
            {
                ShowFaceFailed(FaceFailureReason.CardFaceRefused, retry: false);
            }
            else if (_phase == Phase.MethodChoice)
            {
                ShowMethodChoice(); // prefetched before the choice: face is no longer offered
            }

            return;
        }

        switch (_phase)
        {
            case Phase.MethodChoice:
                ShowMethodChoice();
                break;
            case Phase.PinLocked:
                Refresh(new KioskScreen.PinLocked(FaceOffered(patient)));
                break;
            case Phase.FaceCapture or Phase.CardFacePlacement when !patient.AttemptRunning:
                Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Face, VerificationOutcome.Error, ReasonCodes.DeviceError));
                ShowFaceFailed(FaceFailureReason.TimedOut, retry: false);
                break;
        }
    }

    private void OnCameraReady(CameraLease lease)
    {
        var patient = _patient!;
        patient.Camera = lease;
        patient.CameraReady = true;
        TryStartAttempt();
    }

    private void OnCameraFailed(string reason) =>
        OnFaceUnavailable(new FaceUnavailable(_patient!.SessionId, "camera-" + reason, Forged: false));

    private void BeginFace()
    {
        var patient = _patient!;
        patient.Method = VerificationMethod.Face;
        Publish(SessionEvents.MethodChosen(patient.SessionId, VerificationMethod.Face));
        Milestone(patient, SessionMilestoneKind.MethodChosen);
        if (patient.CardFaceGaveUp)
        {
            CardFaceUnreadable(patient);
            return;
        }

        // Attempts count for the whole visit (face → PIN → back → face does not start again at 1).
        patient.FaceAttempt++;
        StartCamera(patient);
        StartCardFaceLook(patient, TimeSpan.Zero);
        StartFacePreparation(patient);
        if (patient.CodeB is null && patient.Template is null && !patient.FacePreparing && patient.CardFaceProblem != Reader.CardFace.Reading.CardFaceProblem.None)
        {
            // Earlier looks failed: tell the patient what to do while the reader looks again.
            ShowCardFacePlacement(patient);
            return;
        }

        ShowFaceCapture(FaceGuidance.Checking);
        TryStartAttempt();
    }

    private void ShowFaceCapture(FaceGuidance guidance) =>
        Show(Phase.FaceCapture, new KioskScreen.FaceCapture(guidance, _patient!.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));

    /// <summary>Starts the attempt once the template and the camera are ready (whichever comes last calls this).</summary>
    private void TryStartAttempt()
    {
        var patient = _patient!;
        if (_phase != Phase.FaceCapture || patient.AttemptRunning || patient.Template is null || patient.Camera is null || !patient.CameraReady)
        {
            return;
        }

        patient.AttemptRunning = true;
        var attemptNumber = patient.FaceAttempt;
        var options = new AttemptOptions
        {
            Challenge = PickChallenge(),
            Timeout = _settings.AttemptTimeout,
            PreviousNoMatchCount = patient.FaceNoMatches,
        };
        var ports = _ports;
        var camera = patient.Camera.Source;
        var template = patient.Template;
        var post = _post;
        patient.AttemptStop = CancellationTokenSource.CreateLinkedTokenSource(patient.Stop.Token);
        Job(patient, token => FaceAttemptJob.RunAsync(ports, patient.SessionId, attemptNumber, camera, template, options, post, token),
            _ => new FaceDecided(patient.SessionId, attemptNumber, new FaceOutcome(Decision.NoUsableFace, ScoreBand.None, false, Guidance.NoFace)),
            patient.AttemptStop.Token);
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
        var patient = _patient!;
        if (changed.Attempt == patient.FaceAttempt && patient.AttemptRunning)
        {
            Refresh(new KioskScreen.FaceCapture(changed.Guidance, patient.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));
        }
    }

    private void OnFaceDecided(FaceDecided decided)
    {
        var patient = _patient!;
        if (decided.Attempt != patient.FaceAttempt)
        {
            return;
        }

        patient.AttemptRunning = false;
        Milestone(patient, SessionMilestoneKind.FaceDecided);
        var outcome = decided.Outcome;
        SessionLog.FaceDecided(_logger, patient.SessionId, decided.Attempt, outcome.Decision, outcome.Band);
        if (outcome.Decision == Decision.Match && outcome.Live)
        {
            patient.FaceOutcome = outcome;
            if (patient.ChipGenuine != true)
            {
                // The face is the card's; the chip has yet to prove it is a genuine card: a moment more.
                patient.FaceMatchAwaitingChip = true;
                Refresh(new KioskScreen.FaceCapture(FaceGuidance.Checking, patient.FaceAttempt, _settings.FaceAttempts, _ports.Preview.Enabled));
                return;
            }

            FacePassed(patient);
            return;
        }

        if (outcome.Decision == Decision.NoMatch)
        {
            patient.FaceNoMatches++;
        }

        var reason = outcome.Decision == Decision.Match ? Decision.NotLive : outcome.Decision;
        Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Face, VerificationOutcome.Failed, GuidanceMapping.ToReasonCode(reason)));
        ShowFaceFailed(GuidanceMapping.ToFailure(reason, outcome.Guidance), retry: patient.FaceAttempt < _settings.FaceAttempts);
    }

    private void FacePassed(Patient patient)
    {
        Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Face, VerificationOutcome.Passed));
        BeginConsent();
    }

    private void ShowFaceFailed(FaceFailureReason reason, bool retry)
    {
        var patient = _patient!;
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.FaceFailed, new KioskScreen.FaceFailed(reason, patient.FaceAttempt, _settings.FaceAttempts, retry, PinOffered(patient)), countdown: true);
    }

    private void RetryFace()
    {
        var patient = _patient!;
        patient.FaceAttempt++;
        _ports.Lights.Show(IndicatorState.Working);
        ShowFaceCapture(FaceGuidance.LookAtCamera);
        TryStartAttempt();
    }

    private void CallStaff()
    {
        var patient = _patient!;
        SessionLog.StaffCalled(_logger, patient.SessionId);
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.StaffCalled, new KioskScreen.StaffCalled());
    }
}
