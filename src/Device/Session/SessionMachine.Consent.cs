using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using KioskPrescription = Reader.Kiosk.Contract.PrescriptionForm;
using TerminalPrescription = Reader.Protocol.Contract.PrescriptionForm;

namespace Reader.Device.Session;

// Consent (「全て同意する」 / 「個別に同意する」, items from the facility; on the items 「全て同意しない」 is one tap too),
// a summary of the answers before anything is sent, the prescription form when the facility issues
// e-prescriptions, then the signed result into the outbox and 「カードをお取りください」.
internal sealed partial class SessionMachine
{
    private void BeginConsent()
    {
        var patient = _patient!;
        patient.ConsentItems = [.. patient.Facility.ConsentItems.Select(ConsentItemView.Unanswered)];
        _ports.Lights.Show(IndicatorState.Working);
        ShowConsentTop();
    }

    private void ShowConsentTop() => Show(Phase.ConsentTop, new KioskScreen.ConsentTop(), countdown: true);

    private void ShowConsentItems() => Show(Phase.ConsentItems, new KioskScreen.ConsentItems(_patient!.ConsentItems), countdown: true);

    private void OnConsentToAll()
    {
        var patient = _patient!;
        patient.ConsentItems = [.. patient.ConsentItems.Select(i => i with { Agreed = true })];
        ShowConsentSummary(ConsentMode.All);
    }

    /// <summary>「全て同意しない」: refusing everything is as short as agreeing to everything (then the summary).</summary>
    private void OnConsentToNone()
    {
        var patient = _patient!;
        patient.ConsentItems = [.. patient.ConsentItems.Select(i => i with { Agreed = false })];
        ShowConsentSummary(ConsentMode.Individual);
    }

    private void ShowConsentSummary(ConsentMode mode)
    {
        var patient = _patient!;
        patient.ConsentMode = mode;
        Show(Phase.ConsentSummary, new KioskScreen.ConsentSummary(patient.ConsentItems), countdown: true);
    }

    /// <summary>「選び直す」: back to where the answers were given (after 「全て同意する」 the top, with nothing pre-answered).</summary>
    private void OnConsentSummaryBack()
    {
        var patient = _patient!;
        if (patient.ConsentMode == ConsentMode.All)
        {
            patient.ConsentItems = [.. patient.ConsentItems.Select(i => i with { Agreed = null })];
            patient.ConsentMode = null;
            ShowConsentTop();
            return;
        }

        patient.ConsentMode = null;
        ShowConsentItems();
    }

    private void OnConsentItem(string id, bool agreed)
    {
        var patient = _patient!;
        patient.ConsentItems = [.. patient.ConsentItems.Select(i => i.Id == id ? i with { Agreed = agreed } : i)];
        Refresh(new KioskScreen.ConsentItems(patient.ConsentItems));
    }

    private void OnConsentConfirmed()
    {
        var patient = _patient!;
        var mode = patient.ConsentMode ??= ConsentMode.Individual;
        patient.ConsentAt = _ports.Time.GetUtcNow();
        Milestone(patient, SessionMilestoneKind.ConsentConfirmed);
        Publish(SessionEvents.ConsentResult(patient.SessionId, mode, [.. ConsentItems(patient).Select(i => new ConsentChoice(i.Key, i.Flag == 1))]));
        if (patient.Facility.EPrescription)
        {
            Show(Phase.Prescription, new KioskScreen.Prescription(), countdown: true);
            return;
        }

        Submit();
    }

    /// <summary>Each screen item as the OQS consent flags it stands for (one item may set several), all with the confirmation time.</summary>
    private static IEnumerable<ConsentItem> ConsentItems(Patient patient)
    {
        var at = patient.ConsentAt!.Value;
        foreach (var item in patient.ConsentItems)
        {
            foreach (var key in patient.Facility.ConsentKeys.GetValueOrDefault(item.Id, []))
            {
                yield return ConsentItem.Create(key, item.Agreed == true, at);
            }
        }
    }

    private void OnPrescriptionChosen(KioskPrescription form)
    {
        var patient = _patient!;
        patient.Prescription = form == KioskPrescription.Electronic ? TerminalPrescription.Electronic : TerminalPrescription.Paper;
        Milestone(patient, SessionMilestoneKind.PrescriptionChosen);
        Publish(SessionEvents.PrescriptionFormChosen(patient.SessionId, patient.Prescription.Value));
        Submit();
    }

    /// <summary>The whole result, signed and made durable by the link; once started it completes even if the card is taken.</summary>
    private void Submit()
    {
        var patient = _patient!;
        Show(Phase.Submitting, new KioskScreen.Reading(), cancelAllowed: false);
        SessionResult result;
        try
        {
            result = BuildResult(patient);
        }
        catch (InvalidOperationException e)
        {
            OnSubmitFailed(e.Message);
            return;
        }

        patient.SubmitStarted = true;
        var link = _ports.Link;
        Job(patient, async token => new ResultSubmitted(patient.SessionId, await link.SubmitResultAsync(result, token)),
            e => new SubmitFailed(patient.SessionId, e.GetType().Name),
            CancellationToken.None);
    }

    private SessionResult BuildResult(Patient patient)
    {
        var method = patient.Method ?? throw new InvalidOperationException("no verification method");
        var result = _ports.Link.NewResult(patient.SessionId, method, Decision.Confirmed) with
        {
            Certificate = Convert.ToBase64String(patient.Certificate!.Der),
            Registration = patient.RegistrationRequested ? CardRegistration.NotRegistered : patient.Check?.Registration ?? CardRegistration.Unknown,
            Consent = new ConsentRecord { Mode = patient.ConsentMode!.Value, Items = [.. ConsentItems(patient)] },
            PrescriptionIssueSelect = patient.Prescription switch
            {
                TerminalPrescription.Electronic => 1,
                TerminalPrescription.Paper => 2,
                _ => null,
            },
        };
        return method switch
        {
            VerificationMethod.Pin => result with
            {
                PinSignature = new PinEvidence
                {
                    Challenge = Convert.ToBase64String(patient.Check!.Challenge.Span),
                    ChallengeSource = patient.Check.ChallengeSource,
                    Signature = Convert.ToBase64String(patient.PinSignature!.Signature),
                    Algorithm = "RSASSA-PKCS1-v1_5-SHA256",
                },
            },
            VerificationMethod.Face => result with
            {
                Face = new FaceEvidence
                {
                    ScoreBand = GuidanceMapping.ToContract(patient.FaceOutcome!.Band),
                    Liveness = LivenessOutcome.Passed,
                    // The face path runs only on a card face verified against a trusted issuer key (DF28) whose chip
                    // then signed our challenge with the key of that verified record.
                    CardGenuineness = new CardGenuineness
                    {
                        Check = "card-face-signature+chip-authentication",
                        Verified = patient.FaceEvidence!.Authenticity == Reader.Card.MyNumber.CardFaceAuthenticity.Verified && patient.ChipGenuine == true,
                        IssuerKeyId = patient.FaceEvidence.IssuerKeyId,
                    },
                },
            },
            _ => result,
        };
    }

    private void OnResultSubmitted(ResultSubmitted submitted)
    {
        var patient = _patient!;
        patient.Submitted = true;
        Milestone(patient, SessionMilestoneKind.ResultSubmitted);
        SessionLog.Submitted(_logger, patient.SessionId, submitted.Receipt.AlreadySubmitted);
        patient.WipeSecrets();
        if (_phase != Phase.Submitting)
        {
            return; // the card was taken while the result was being stored: the session has already ended
        }

        _ports.Lights.Signal(IndicatorSignal.Success);
        Show(Phase.Done, new KioskScreen.Done(), cancelAllowed: false);
        _timers.Start(SessionTimer.CardLeftBehind, _settings.CardLeftBehind);
    }

    private void OnSubmitFailed(string reason)
    {
        SessionLog.SubmitFailed(_logger, _patient?.SessionId ?? "-", reason);
        if (_patient is { } patient && _phase == Phase.Submitting)
        {
            patient.SubmitStarted = false;
            AbortWithCardError(ReasonCodes.DeviceError, new KioskScreen.CardError(CardErrorKind.Other, SessionCodes.ResultNotStored));
        }
    }

    private void OnCardLeftBehind()
    {
        _ports.Lights.Signal(IndicatorSignal.CardLeftBehind);
        Refresh(new KioskScreen.Done(CardLeftBehind: true));
    }
}
