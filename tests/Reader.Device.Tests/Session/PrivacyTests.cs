using System.Text;
using System.Text.Json;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>No PIN, 照合番号B, photo, score or certificate reaches a log line, a screen state or an event.</summary>
public sealed class PrivacyTests
{
    [Fact]
    public async Task Nothing_secret_reaches_logs_screens_or_events_in_face_and_PIN_sessions()
    {
        await using var rig = new SessionRig();
        var states = new List<string>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (var state in rig.Session.WatchAsync(watching.Token))
                {
                    lock (states)
                    {
                        states.Add(JsonSerializer.Serialize(state, KioskJson.Options));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        void Snapshot()
        {
            lock (states)
            {
                states.Add(JsonSerializer.Serialize(rig.Current, KioskJson.Options));
            }
        }

        // A face session…
        await rig.ReachConsentByFace();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();

        // …and a PIN session with a wrong then a right PIN.
        rig.Card.PinAnswers.Enqueue(new Reader.Card.Errors.CardError(Reader.Card.Errors.CardErrorCode.PinWrong, "PIN refused", 2));
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("9157"u8)));
        await rig.WaitFor<KioskScreen.PinEntry>(p => p.LastAttemptWrong);
        Snapshot();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        Snapshot();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        await watching.CancelAsync();
        await watcher;

        string[] secrets =
        [
            "9157", "8361", FakeCardFace.CodeB,
            Convert.ToBase64String(FakePhoto.Marker), Convert.ToHexString(FakePhoto.Marker),
            Convert.ToBase64String(FakeCard.CertificateDer)[..40],
            "TEST0001",
        ];
        var events = rig.Link.Events.Select(e => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(e))).ToList();
        foreach (var text in rig.Logs.Lines.Concat(states).Concat(events))
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        Assert.NotEmpty(rig.Logs.Lines);
        Assert.NotEmpty(states); // the watcher may skip states (newest only); the snapshots below are certain
        foreach (var sessionEvent in rig.Link.Events)
        {
            PrivacyGuard.EnsureClean(JsonSerializer.SerializeToUtf8Bytes(sessionEvent));
        }

        // The result carries the certificate (that is its point) and the PIN path's signature, never the PIN.
        Assert.All(rig.Link.Results, r => Assert.DoesNotContain("8361", JsonSerializer.Serialize(r), StringComparison.Ordinal));
    }
}
