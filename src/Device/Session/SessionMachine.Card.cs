using Reader.Card;
using Reader.Card.MyNumber;
using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using CardErrorScreen = Reader.Kiosk.Contract.KioskScreen.CardError;

namespace Reader.Device.Session;

// Card placed → identify → certificate → PIN status (one card job), with 照合番号B, the
// camera and the terminal's card check started alongside; then the renewal notice, registration and the method.
internal sealed partial class SessionMachine
{
    private void StartSession(CardInserted inserted)
    {
        if (!string.IsNullOrEmpty(_ports.ReaderName) && inserted.Reader != _ports.ReaderName)
        {
            return;
        }

        _timers.Stop(SessionTimer.EndedScreen);
        var patient = new Patient(NewSessionId(), inserted.Reader, _ports.Time.GetTimestamp(), _facility, _mode)
        {
            // No trusted card-face issuer: the chip photo could not be authenticated, so the face path never starts.
            FaceUnavailableReason = _settings.CardFaceVerifiable ? null : "issuer-not-trusted",
        };
        _patient = patient;
        Volatile.Write(ref _currentSessionId, patient.SessionId);
        RememberPlacement(patient);
        SessionLog.Placed(_logger, patient.SessionId, inserted.CardEventId);
        Milestone(patient, SessionMilestoneKind.CardPlaced);
        _ports.Lights.Signal(IndicatorSignal.CardPlaced);
        SetBusy(true);
        if (_mode == ReaderMode.Maintenance)
        {
            patient.Aborted = true;
            Show(Phase.CardError, new CardErrorScreen(CardErrorKind.ReceptionRequired), cancelAllowed: false);
            return;
        }

        Show(Phase.Reading, new KioskScreen.Reading());

        // The card: open, identify, certificate, PIN status in one turn on the card (no wait for the session between
        // them: every read is needed whatever the one before said, and an abort cancels the rest); each outcome is
        // posted as it comes, so the terminal's card check starts as soon as the certificate is in.
        var post = _post;
        Job(patient, async token =>
        {
            await patient.Card.OpenAsync(_ports.Card, patient.Reader, token);
            return await patient.Card.RunAsync(async (card, t) =>
            {
                post(new CardIdentified(patient.SessionId, await card.IdentifyAsync(t)));
                post(new CertificateRead(patient.SessionId, await card.ReadCertificateAsync(t)));
                return new PinStatusRead(patient.SessionId, await card.GetPinStatusAsync(t));
            }, token);
        }, e => new CardFailed(patient.SessionId, CardFailures.ToError(e)));

        // Alongside the card: the camera (opened and warmed up) and 照合番号B, for the face path.
        if (FaceWanted(patient))
        {
            StartCamera(patient);
            StartCardFaceLook(patient, TimeSpan.Zero);
        }
    }

    private void OnIdentified(CardIdentified identified)
    {
        var patient = _patient!;
        patient.Identification = identified.Card;
        var kind = identified.Card.HasSignatureCertificate ? CardKind.MyNumber : CardKind.FaceOnly;
        Publish(SessionEvents.CardPlaced(patient.SessionId, kind));
    }

    private void OnCertificateRead(CertificateFacts certificate)
    {
        var patient = _patient!;
        patient.Certificate = certificate;
        Milestone(patient, SessionMilestoneKind.CertificateRead);
        if (certificate.Validity == CertificateValidity.Expired)
        {
            AbortWithCardError(ReasonCodes.CertificateExpired, new CardErrorScreen(CardErrorKind.CertificateExpired));
            return;
        }

        // The terminal's answer (registered? PIN challenge) travels while the card keeps reading.
        var der = certificate.Der;
        var link = _ports.Link;
        Job(patient, async token => new CardCheckAnswered(patient.SessionId, await link.CheckCardAsync(patient.SessionId, der, token)),
            _ => new CardCheckAnswered(patient.SessionId, CardCheckFallback.Failed()));
    }

    private void OnPinStatusRead(PinStatusRead read)
    {
        var patient = _patient!;
        patient.Pin = read.Pin;
        patient.PinTriesLeft = read.Pin.State == PinState.Locked ? 0 : read.Pin.TriesLeft ?? 3;
        if (FaceWanted(patient))
        {
            PrepareCardFace(patient);
            StartFacePreparation(patient);
        }

        RouteAfterReading();
    }

    /// <summary>
    /// While the card-face camera is still reading 照合番号B the card would sit idle: it reads and checks the card-face
    /// certificate now (no credential), and the read with 照合番号B starts at VERIFY. A failure here is left to that read.
    /// </summary>
    private void PrepareCardFace(Patient patient)
    {
        if (patient.CodeB is not null || patient.CodeBVerifySent)
        {
            return;
        }

        Job(patient, async token => await patient.Card.RunAsync<SessionInput?>(async (card, t) =>
        {
            await card.PrepareCardFaceAsync(t);
            return null;
        }, token), _ => null);
    }

    private void OnCardCheckAnswered(Reader.Protocol.ReaderSide.CardCheckOutcome outcome)
    {
        var patient = _patient!;
        patient.Check = outcome;
        Milestone(patient, SessionMilestoneKind.CardCheckAnswered);
        if (_phase == Phase.Reading)
        {
            RouteAfterReading();
        }
    }

    /// <summary>Once the certificate, the PIN status and the terminal's answer are in: renewal → registration → method.</summary>
    private void RouteAfterReading()
    {
        var patient = _patient!;
        if (patient.Certificate is not { } certificate || patient.Pin is null || patient.Check is not { } check)
        {
            return;
        }

        if (certificate.Validity == CertificateValidity.RenewSoon && !patient.RenewalShown)
        {
            Show(Phase.RenewalNotice, new KioskScreen.RenewalNotice(DateOnly.FromDateTime(Japan(certificate.NotAfter))), countdown: true);
            return;
        }

        if (check.Registration == CardRegistration.NotRegistered && !patient.RegistrationRequested)
        {
            Show(Phase.Registration, new KioskScreen.Registration(), countdown: true);
            return;
        }

        if (_mode == ReaderMode.VisualCheck)
        {
            BeginVisualCheck();
            return;
        }

        ShowMethodChoice();
    }

    private void OnRegistrationChosen(bool register)
    {
        if (!register)
        {
            // Without registration the card cannot serve as an insurance card today: reception takes over.
            AbortWithCardError(ReasonCodes.NotRegistered, new CardErrorScreen(CardErrorKind.ReceptionRequired));
            return;
        }

        _patient!.RegistrationRequested = true;
        RouteAfterReading();
    }

    private void ShowMethodChoice()
    {
        var patient = _patient!;
        var faceOnly = patient.Pin?.State == PinState.NotSet;
        var faceOffered = FaceOffered(patient);
        var pinOffered = PinOffered(patient);
        if (!faceOffered && !pinOffered)
        {
            if (PinLocked(patient))
            {
                // Locked PIN and no face path: the locked screen says why, and staff (目視) can help.
                ShowPinLocked(justLocked: false);
                return;
            }

            // A face-only card whose face path cannot run: only staff (目視) can help.
            CallStaff();
            return;
        }

        Show(Phase.MethodChoice, new KioskScreen.MethodChoice(faceOffered, pinOffered, faceOnly, PinLocked(patient)), countdown: true);
    }

    /// <summary>The PIN can still be tried: never offered with no tries left (locked), nor on a face-only card.</summary>
    private static bool PinOffered(Patient patient) =>
        patient.Pin?.State is PinState.Available or PinState.Verified && !PinLocked(patient);

    private static bool PinLocked(Patient patient) =>
        patient.Pin?.State == PinState.Locked || (patient.Pin?.State == PinState.Available && patient.PinTriesLeft <= 0);

    /// <summary>The face path can still run for this patient: nothing made it unavailable and attempts are left.</summary>
    private bool FaceOffered(Patient patient) =>
        patient.FaceUnavailableReason is null && patient.FaceAttempt < _settings.FaceAttempts;

    /// <summary>A card that cannot be used: the right code on screen, the session aborted, nothing sent.</summary>
    private void OnCardUnusable(CardError error)
    {
        var (reason, screen) = error.Code switch
        {
            CardErrorCode.NotMyNumberCard => (ReasonCodes.ForeignCard, new CardErrorScreen(CardErrorKind.NotMyNumberCard)),
            CardErrorCode.CertificateExpired => (ReasonCodes.CertificateExpired, new CardErrorScreen(CardErrorKind.CertificateExpired)),
            CardErrorCode.Unreadable or CardErrorCode.MalformedData or CardErrorCode.UnexpectedStatus or CardErrorCode.Timeout
                => (ReasonCodes.CardUnreadable, new CardErrorScreen(CardErrorKind.Unreadable)),
            CardErrorCode.ReaderUnavailable or CardErrorCode.ServiceUnavailable or CardErrorCode.CardBusy
                => (ReasonCodes.DeviceError, new CardErrorScreen(CardErrorKind.Other, SessionCodes.CardReaderTrouble)),
            _ => (ReasonCodes.CardUnreadable, new CardErrorScreen(CardErrorKind.Other, SessionCodes.CardRefused)),
        };
        SessionLog.CardUnusable(_logger, _patient?.SessionId ?? "-", error.Code);
        if (_patient is { Identification: null } patient && error.Code is CardErrorCode.NotMyNumberCard or CardErrorCode.Unreadable)
        {
            // The terminal still learns that something was placed (and of which kind).
            Publish(SessionEvents.CardPlaced(patient.SessionId, CardKind.Unrecognised));
        }

        AbortWithCardError(reason, screen);
    }

    private static DateTime Japan(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).DateTime;
}
