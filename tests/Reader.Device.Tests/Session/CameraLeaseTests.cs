using Reader.Camera;
using Reader.Device.Hosting.SelfTest;
using Reader.Device.Session;

namespace Reader.Device.Tests.Session;

/// <summary>
/// The patient camera has one holder at a time: the health loop's idle probe borrows the session's lease and skips
/// while a visit holds it, and a visit that comes during a probe waits for it; the device is never opened twice at once.
/// </summary>
public sealed class CameraLeaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_probe_skips_while_a_visit_holds_the_camera_and_borrows_it_once_the_visit_ends()
    {
        var inner = new CountingProvider();
        var camera = new ExclusiveCameraProvider(inner);
        var runtime = new ServiceRuntime { Camera = camera }; // SessionActive says no: the visit's lease alone must keep the probe off

        var visit = await Task.Run(camera.Acquire);
        var probe = await CameraCheck.FirstFrameAsync("v4l2:/dev/video0", runtime, CancellationToken.None);
        Assert.True(probe.Ok);
        Assert.Equal("in use by the patient session", probe.Detail);
        Assert.Equal(1, inner.Opens);

        await visit.DisposeAsync();
        probe = await CameraCheck.FirstFrameAsync("v4l2:/dev/video0", runtime, CancellationToken.None);
        Assert.True(probe.Ok, probe.Detail);
        Assert.Equal("fake: 8x8 frame", probe.Detail);
        Assert.Equal(2, inner.Opens);
        Assert.Equal(1, inner.MostAtOnce);
        Assert.False(camera.Held);
    }

    [Fact]
    public async Task The_card_face_camera_check_opens_the_card_face_camera_not_the_patients()
    {
        var inner = new CountingProvider();
        var runtime = new ServiceRuntime { Camera = new ExclusiveCameraProvider(inner) };
        var check = new CardFaceCameraCheck(new Reader.Device.Hosting.Sections.CardFaceCameraOptions { Device = "/dev/no-card-face-camera" }, runtime);

        var result = await check.RunAsync(CancellationToken.None);

        Assert.False(result.Ok); // it had borrowed the patient camera and passed with its frame
        Assert.Contains("/dev/no-card-face-camera", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, inner.Opens);
    }

    [Fact]
    public async Task A_visit_that_comes_during_a_probe_waits_for_it_and_never_opens_beside_it()
    {
        var inner = new CountingProvider();
        var camera = new ExclusiveCameraProvider(inner);
        var runtime = new ServiceRuntime { Camera = camera };

        // The probe's open is slow (a camera waking up; no frame timeout runs yet): the visit arrives meanwhile.
        inner.OpenGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = Task.Run(() => CameraCheck.FirstFrameAsync("v4l2:/dev/video0", runtime, CancellationToken.None));
        await Until(() => Volatile.Read(ref inner.Opens) == 1);
        var visit = Task.Run(camera.Acquire);
        await Task.Delay(200);
        Assert.False(visit.IsCompleted);
        Assert.Equal(1, inner.Opens);

        inner.OpenGate.SetResult();
        Assert.True((await probe.WaitAsync(Patience)).Ok);
        var lease = await visit.WaitAsync(Patience);
        await lease.DisposeAsync();
        Assert.Equal(2, inner.Opens);
        Assert.Equal(1, inner.MostAtOnce);
        Assert.False(camera.Held);
    }

    [Fact]
    public async Task A_camera_that_cannot_be_opened_hands_the_lease_back()
    {
        var inner = new CountingProvider { Fails = true };
        var camera = new ExclusiveCameraProvider(inner);
        var probe = await CameraCheck.FirstFrameAsync("v4l2:/dev/video0", new ServiceRuntime { Camera = camera }, CancellationToken.None);
        Assert.False(probe.Ok);
        Assert.False(camera.Held);
        Assert.Throws<CameraException>(camera.Acquire);
        Assert.False(camera.Held);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    /// <summary>A camera provider that counts its opens and how many sources were open at once.</summary>
    private sealed class CountingProvider : ICameraProvider
    {
        private int _open;

        public FakeCamera Source { get; } = new();

        /// <summary>When set, an open does not finish until this completes.</summary>
        public TaskCompletionSource? OpenGate { get; set; }

        public bool Fails { get; init; }

        public int Opens;

        public int MostAtOnce;

        public CameraLease Acquire()
        {
            if (Fails)
            {
                throw new CameraException(CameraErrorCode.DeviceMissing, "no camera");
            }

            Interlocked.Increment(ref Opens);
            var open = Interlocked.Increment(ref _open);
            InterlockedMax(ref MostAtOnce, open);
            OpenGate?.Task.Wait();
            return new CameraLease(Source, () =>
            {
                Interlocked.Decrement(ref _open);
                return ValueTask.CompletedTask;
            });
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
