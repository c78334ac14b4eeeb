using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
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
        var visit = new Visit(NewSessionId(), inserted.Reader, _ports.Time.GetTimestamp(), _facility, _mode, _settings.RelayHold)
        {
            // No trusted card-face issuer: the chip photo could not be authenticated, so the face path never starts;
            // nor does it when the face models failed to load.
            FaceUnavailableReason = _settings.CardFaceVerifiable ? _ports.Face.UnavailableReason : "issuer-not-trusted",
        };
        _visit = visit;
        Volatile.Write(ref _currentSessionId, visit.SessionId);
        RememberPlacement(visit);
        SessionLog.Placed(_logger, visit.SessionId, inserted.CardEventId);
        if (visit.FaceUnavailableReason is { } unavailable)
        {
            SessionLog.FaceUnavailable(_logger, visit.SessionId, unavailable);
        }

        Milestone(visit, SessionMilestoneKind.CardPlaced);
        _ports.Lights.Signal(IndicatorSignal.CardPlaced);
        SetBusy(true);
        if (_mode == ReaderMode.Maintenance)
        {
            visit.Aborted = true;
            Show(Phase.CardError, new CardErrorScreen(CardErrorKind.ReceptionRequired), cancelAllowed: false);
            return;
        }

        Show(Phase.Reading, new KioskScreen.Reading());

        // The card: open, identify, certificate, PIN status in one turn on the card (no wait for the session between
        // them: every read is needed whatever the one before said, and an abort cancels the rest); each outcome is
        // posted as it comes, so the terminal's card check starts as soon as the certificate is in. On the face path
        // the card-face preparation follows in the same turn (no hop through the session before its first SELECT).
        var post = _post;
        var prepareFace = visit.CardFacePreparedByReading = FaceWanted(visit);
        Job(visit, async token =>
        {
            await visit.Card.OpenAsync(_ports.Card, visit.Reader, token);
            return await visit.Card.RunAsync<SessionInput?>(async (card, t) =>
            {
                post(new CardIdentified(visit.SessionId, await card.IdentifyAsync(t)));
                var certificate = await card.ReadCertificateAsync(t);
                if (certificate.Validity == CertificateValidity.Expired)
                {
                    // The expiry decides this visit: the patient is told, nothing more is asked of the card.
                    return new CertificateRead(visit.SessionId, certificate);
                }

                post(new CertificateRead(visit.SessionId, certificate));
                var pin = new PinStatusRead(visit.SessionId, await card.GetPinStatusAsync(t));
                if (!prepareFace)
                {
                    return pin;
                }

                post(pin);
                await PrepareCardFaceAsync(visit, card, t);
                return null;
            }, token);
        }, e => new CardFailed(visit.SessionId, CardFailures.ToError(e)));

        // Alongside the card: the camera (opened and warmed up) and 照合番号B, for the face path.
        if (FaceWanted(visit))
        {
            StartCamera(visit);
            StartCardFaceLook(visit, TimeSpan.Zero);
        }
    }

    private void OnIdentified(CardIdentified identified)
    {
        var visit = _visit!;
        visit.Identification = identified.Card;
        var kind = identified.Card.HasSignatureCertificate ? CardKind.MyNumber : CardKind.FaceOnly;
        Publish(SessionEvents.CardPlaced(visit.SessionId, kind));
    }

    private void OnCertificateRead(CertificateFacts certificate)
    {
        var visit = _visit!;
        visit.Certificate = certificate;
        Milestone(visit, SessionMilestoneKind.CertificateRead);
        if (certificate.Validity == CertificateValidity.Expired)
        {
            AbortWithCardError(ReasonCodes.CertificateExpired, new CardErrorScreen(CardErrorKind.CertificateExpired));
            return;
        }

        // The terminal's answer (registered? PIN challenge) travels while the card keeps reading.
        var der = certificate.Der;
        var link = _ports.Link;
        Job(visit, async token => new CardCheckAnswered(visit.SessionId, await link.CheckCardAsync(visit.SessionId, der, token)),
            _ => new CardCheckAnswered(visit.SessionId, CardCheckFallback.Failed()));
    }

    private void OnPinStatusRead(PinStatusRead read)
    {
        var visit = _visit!;
        visit.Pin = read.Pin;
        visit.PinTriesLeft = read.Pin.State == PinState.Locked ? 0 : read.Pin.TriesLeft ?? 3;
        if (FaceWanted(visit))
        {
            PrepareCardFace(visit);
            StartFacePreparation(visit);
        }

        RouteAfterReading();
    }

    /// <summary>
    /// While the card-face camera is still reading 照合番号B the card would sit idle: it reads and checks the card-face
    /// certificate now (no credential), and the read with 照合番号B starts at VERIFY. If 照合番号B has still not come, the
    /// card also signs the chip proof's challenge now (no credential; ≈ 250 ms of RSA on the card), checked once the
    /// photo record gives its key. A failure here is left to that read and that proof.
    /// </summary>
    private void PrepareCardFace(Visit visit)
    {
        if (visit.CardFacePreparedByReading || visit.CodeB is not null || visit.CodeBVerifySent)
        {
            return;
        }

        Job(visit, async token => await visit.Card.RunAsync<SessionInput?>(async (card, t) =>
        {
            await PrepareCardFaceAsync(visit, card, t);
            return null;
        }, token), _ => null);
    }

    /// <summary>
    /// <see cref="PrepareCardFace"/>'s card work, in a turn on the card (visit fields read as the session last wrote
    /// them: at worst the work is done although 照合番号B has just come, as when this ran in a job of its own). Its
    /// failures are left to the read with 照合番号B and to the proof, which ask the card again.
    /// </summary>
    private static async Task PrepareCardFaceAsync(Visit visit, ICardConnection card, CancellationToken token)
    {
        if (visit.CodeB is not null || visit.CodeBVerifySent || visit.FaceUnavailableReason is not null)
        {
            return;
        }

        try
        {
            await card.PrepareCardFaceAsync(token);
            if (visit.CodeB is null && !visit.CodeBVerifySent)
            {
                await card.SignChipChallengeAheadAsync(token);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // As its own job did (its failure posted nothing): the read with 照合番号B reports what is wrong.
        }
        finally
        {
            // Whatever needs no credential is done: from here a look still running is what the card waits for.
            visit.CardWaitsForCodeB = true;
        }
    }

    private void OnCardCheckAnswered(Reader.Protocol.ReaderSide.CardCheckOutcome outcome)
    {
        var visit = _visit!;
        visit.Check = outcome;
        Milestone(visit, SessionMilestoneKind.CardCheckAnswered);
        if (_phase == Phase.Reading)
        {
            RouteAfterReading();
        }
    }

    /// <summary>Once the certificate, the PIN status and the terminal's answer are in: renewal → registration → method.</summary>
    private void RouteAfterReading()
    {
        var visit = _visit!;
        if (visit.Certificate is not { } certificate || visit.Pin is null || visit.Check is not { } check)
        {
            return;
        }

        if (certificate.Validity == CertificateValidity.RenewSoon && !visit.RenewalShown)
        {
            Show(Phase.RenewalNotice, new KioskScreen.RenewalNotice(DateOnly.FromDateTime(Japan(certificate.NotAfter))), countdown: true);
            return;
        }

        if (check.Registration == CardRegistration.NotRegistered && !visit.RegistrationRequested)
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

        _visit!.RegistrationRequested = true;
        RouteAfterReading();
    }

    private void ShowMethodChoice()
    {
        var visit = _visit!;
        var faceOnly = visit.Pin?.State == PinState.NotSet;
        var faceOffered = FaceOffered(visit);
        var pinOffered = PinOffered(visit);
        if (!faceOffered && !pinOffered)
        {
            if (PinLocked(visit))
            {
                // Locked PIN and no face path: the locked screen says why, and staff (目視) can help.
                ShowPinLocked(justLocked: false);
                return;
            }

            // A face-only card whose face path cannot run: only staff (目視) can help.
            CallStaff();
            return;
        }

        Show(Phase.MethodChoice, new KioskScreen.MethodChoice(faceOffered, pinOffered, faceOnly, PinLocked(visit)), countdown: true);
    }

    /// <summary>The PIN can still be tried: never offered with no tries left (locked), nor on a face-only card.</summary>
    private static bool PinOffered(Visit visit) =>
        visit.Pin?.State is PinState.Available or PinState.Verified && !PinLocked(visit);

    private static bool PinLocked(Visit visit) =>
        visit.Pin?.State == PinState.Locked || (visit.Pin?.State == PinState.Available && visit.PinTriesLeft <= 0);

    /// <summary>The face path can still run for this patient: nothing made it unavailable and attempts are left.</summary>
    private bool FaceOffered(Visit visit) =>
        visit.FaceUnavailableReason is null && !visit.FacePathEnded && visit.FaceAttempt < _settings.FaceAttempts;

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
        SessionLog.CardUnusable(_logger, _visit?.SessionId ?? "-", error.Code);
        if (_visit is { Identification: null } visit && error.Code is CardErrorCode.NotMyNumberCard or CardErrorCode.Unreadable)
        {
            // The terminal still learns that something was placed (and of which kind).
            Publish(SessionEvents.CardPlaced(visit.SessionId, CardKind.Unrecognised));
        }

        AbortWithCardError(reason, screen);
    }

    private static DateTime Japan(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).DateTime;
}
