using Reader.Device.Session.Adapters;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>
/// The face models failing to load (the background load after a start): the visit says so with its own code, never
/// as a camera failure, and the patient is offered the PIN (or staff) instead of a face that can never match.
/// </summary>
public sealed class FaceModelTests
{
    [Fact]
    public async Task Models_that_failed_to_load_before_the_visit_take_the_face_path_off_the_method_choice()
    {
        var failed = Task.FromException<IFaceMatcher>(new DllNotFoundException("libonnxruntime.so"));
        await using var rig = new SessionRig(face: new LoadingFaceMatcher(failed));
        var choice = await rig.PlaceAndReachMethodChoice();
        Assert.False(choice.FaceOffered);
        Assert.True(choice.PinOffered);

        // The face path was never started: no camera opened, no 照合番号B sent to the card.
        await rig.Settle();
        Assert.Equal(0, rig.CameraOpens);
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        Assert.Contains(rig.Logs.Lines, l => l.Contains($"face path unavailable ({FaceModelUnavailableException.Code})", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains("camera-", StringComparison.Ordinal));

        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
        await rig.WaitFor<KioskScreen.PinEntry>();
    }

    [Fact]
    public async Task Models_whose_load_fails_during_the_visit_fall_back_to_the_PIN_with_their_own_code()
    {
        var loading = new TaskCompletionSource<IFaceMatcher>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var rig = new SessionRig(face: new LoadingFaceMatcher(loading.Task));

        // Still loading: the face is offered (a face attempt waits for the load), and the patient chooses it.
        var choice = await rig.PlaceAndReachMethodChoice();
        Assert.True(choice.FaceOffered);
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
        await rig.WaitFor<KioskScreen.FaceCapture>();

        // The load fails (ONNX Runtime could not create a session): the camera warm-up that waited for it does not
        // report the camera; the patient is offered what is left.
        loading.SetException(new InvalidOperationException("onnxruntime: cannot create the session"));
        var fallback = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(fallback.PinOffered);
        await rig.Settle();
        Assert.Contains(rig.Logs.Lines, l => l.Contains($"face path unavailable ({FaceModelUnavailableException.Code})", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains("face path unavailable (camera-", StringComparison.Ordinal));
        var face = Assert.Single(rig.Link.Events, e => e.Type == SessionEventType.VerificationResult);
        Assert.Equal(VerificationMethod.Face, face.Method);
        Assert.Equal(VerificationOutcome.Error, face.Outcome);
        Assert.Equal(ReasonCodes.DeviceError, face.ReasonCode);

        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
        await rig.WaitFor<KioskScreen.PinEntry>();
    }

    [Fact]
    public async Task Models_that_loaded_without_a_runtime_are_unavailable_too()
    {
        await using var rig = new SessionRig(face: new LoadingFaceMatcher(Task.FromResult<IFaceMatcher>(new UnavailableFaceMatcher())));
        var choice = await rig.PlaceAndReachMethodChoice();
        Assert.False(choice.FaceOffered);
        Assert.Equal(0, rig.CameraOpens);
    }
}
