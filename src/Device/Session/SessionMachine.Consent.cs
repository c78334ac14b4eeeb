using Reader.Device.Session.Seams;
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
        var visit = _visit!;
        visit.ConsentItems = [.. visit.Facility.ConsentItems.Select(ConsentItemView.Unanswered)];
        _ports.Lights.Show(IndicatorState.Working);
        ShowConsentTop();
    }

    private void ShowConsentTop() => Show(Phase.ConsentTop, new KioskScreen.ConsentTop(), countdown: true);

    private void ShowConsentItems() => Show(Phase.ConsentItems, new KioskScreen.ConsentItems(_visit!.ConsentItems), countdown: true);

    private void OnConsentToAll()
    {
        var visit = _visit!;
        visit.ConsentItems = [.. visit.ConsentItems.Select(i => i with { Agreed = true })];
        ShowConsentSummary(ConsentMode.All);
    }

    /// <summary>「全て同意しない」: refusing everything is as short as agreeing to everything (then the summary).</summary>
    private void OnConsentToNone()
    {
        var visit = _visit!;
        visit.ConsentItems = [.. visit.ConsentItems.Select(i => i with { Agreed = false })];
        ShowConsentSummary(ConsentMode.Individual);
    }

    private void ShowConsentSummary(ConsentMode mode)
    {
        var visit = _visit!;
        visit.ConsentMode = mode;
        Show(Phase.ConsentSummary, new KioskScreen.ConsentSummary(visit.ConsentItems), countdown: true);
    }

    /// <summary>「選び直す」: back to where the answers were given (after 「全て同意する」 the top, with nothing pre-answered).</summary>
    private void OnConsentSummaryBack()
    {
        var visit = _visit!;
        if (visit.ConsentMode == ConsentMode.All)
        {
            visit.ConsentItems = [.. visit.ConsentItems.Select(i => i with { Agreed = null })];
            visit.ConsentMode = null;
            ShowConsentTop();
            return;
        }

        visit.ConsentMode = null;
        ShowConsentItems();
    }

    private void OnConsentItem(string id, bool agreed)
    {
        var visit = _visit!;
        visit.ConsentItems = [.. visit.ConsentItems.Select(i => i.Id == id ? i with { Agreed = agreed } : i)];
        Refresh(new KioskScreen.ConsentItems(visit.ConsentItems));
    }

    private void OnConsentConfirmed()
    {
        var visit = _visit!;
        var mode = visit.ConsentMode ??= ConsentMode.Individual;
        visit.ConsentAt = _ports.Time.GetUtcNow();
        Milestone(visit, SessionMilestoneKind.ConsentConfirmed);
        Publish(SessionEvents.ConsentResult(visit.SessionId, mode, [.. ConsentItems(visit).Select(i => new ConsentChoice(i.Key, i.Flag == 1))]));
        if (visit.Facility.EPrescription)
        {
            Show(Phase.Prescription, new KioskScreen.Prescription(), countdown: true);
            return;
        }

        Submit();
    }

    /// <summary>Each screen item as the OQS consent flags it stands for (one item may set several), all with the confirmation time.</summary>
    private static IEnumerable<ConsentItem> ConsentItems(Visit visit)
    {
        var at = visit.ConsentAt!.Value;
        foreach (var item in visit.ConsentItems)
        {
            foreach (var key in visit.Facility.ConsentKeys.GetValueOrDefault(item.Id, []))
            {
                yield return ConsentItem.Create(key, item.Agreed == true, at);
            }
        }
    }

    private void OnPrescriptionChosen(KioskPrescription form)
    {
        var visit = _visit!;
        visit.Prescription = form == KioskPrescription.Electronic ? TerminalPrescription.Electronic : TerminalPrescription.Paper;
        Milestone(visit, SessionMilestoneKind.PrescriptionChosen);
        Publish(SessionEvents.PrescriptionFormChosen(visit.SessionId, visit.Prescription.Value));
        Submit();
    }

    /// <summary>The whole result, signed and made durable by the link; once started it completes even if the card is taken.</summary>
    private void Submit()
    {
        var visit = _visit!;
        Show(Phase.Submitting, new KioskScreen.Reading(), cancelAllowed: false);
        SessionResult result;
        try
        {
            result = BuildResult(visit);
        }
        catch (InvalidOperationException e)
        {
            OnSubmitFailed(e.Message);
            return;
        }

        visit.SubmitStarted = true;
        var link = _ports.Link;
        Job(visit, async token => new ResultSubmitted(visit.SessionId, await link.SubmitResultAsync(result, token)),
            e => new SubmitFailed(visit.SessionId, e.GetType().Name),
            CancellationToken.None);
    }

    private SessionResult BuildResult(Visit visit)
    {
        var method = visit.Method ?? throw new InvalidOperationException("no verification method");
        var result = _ports.Link.NewResult(visit.SessionId, method, Decision.Confirmed) with
        {
            Certificate = Convert.ToBase64String(visit.Certificate!.Der),
            Registration = visit.RegistrationRequested ? CardRegistration.NotRegistered : visit.Check?.Registration ?? CardRegistration.Unknown,
            Consent = new ConsentRecord { Mode = visit.ConsentMode!.Value, Items = [.. ConsentItems(visit)] },
            PrescriptionIssueSelect = visit.Prescription switch
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
                    Challenge = Convert.ToBase64String(visit.Check!.Challenge.Span),
                    ChallengeSource = visit.Check.ChallengeSource,
                    Signature = Convert.ToBase64String(visit.PinSignature!.Signature),
                    Algorithm = "RSASSA-PKCS1-v1_5-SHA256",
                },
            },
            VerificationMethod.Face => result with
            {
                Face = new FaceEvidence
                {
                    ScoreBand = GuidanceMapping.ToContract(visit.FaceOutcome!.Band),
                    Liveness = LivenessOutcome.Passed,
                    // The face path runs only on a card face verified against a trusted issuer key (DF28) whose chip
                    // then signed our challenge with the key of that verified record.
                    CardGenuineness = new CardGenuineness
                    {
                        Check = "card-face-signature+chip-authentication",
                        Verified = visit.FaceEvidence!.Authenticity == Reader.Card.MyNumber.CardFaceAuthenticity.Verified && visit.ChipGenuine == true,
                        IssuerKeyId = visit.FaceEvidence.IssuerKeyId,
                    },
                },
            },
            _ => result,
        };
    }

    private void OnResultSubmitted(ResultSubmitted submitted)
    {
        var visit = _visit!;
        visit.Submitted = true;
        Milestone(visit, SessionMilestoneKind.ResultSubmitted);
        SessionLog.Submitted(_logger, visit.SessionId, submitted.Receipt.AlreadySubmitted);
        visit.WipeSecrets();
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
        SessionLog.SubmitFailed(_logger, _visit?.SessionId ?? "-", reason);
        if (_visit is { } visit && _phase == Phase.Submitting)
        {
            visit.SubmitStarted = false;
            AbortWithCardError(ReasonCodes.DeviceError, new KioskScreen.CardError(CardErrorKind.Other, SessionCodes.ResultNotStored));
        }
    }

    private void OnCardLeftBehind()
    {
        _ports.Lights.Signal(IndicatorSignal.CardLeftBehind);
        Refresh(new KioskScreen.Done(CardLeftBehind: true));
    }
}
