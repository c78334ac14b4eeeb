using Reader.Device.Session;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;

namespace Reader.Device.Tests.Session;

/// <summary>A patient session over fakes, with helpers to place a card, press and wait for screens.</summary>
internal sealed class SessionRig : IAsyncDisposable
{
    public const string Reader = "Virtual PCD 00 00";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public SessionRig(SessionSettings? settings = null, FacilitySettings? facility = null, Reader.Device.Session.Seams.IFaceMatcher? face = null)
    {
        Settings = settings ?? new SessionSettings { VisualCheckScreen = TimeSpan.FromSeconds(3) };
        Link = new FakeLink(Time);
        Session = new SessionLoop(
            new SessionPorts
            {
                Card = Card,
                Face = face ?? Face,
                Camera = CameraProvider,
                CardFace = CardFace,
                Link = Link,
                Lights = Lights,
                Time = Time,
                Observer = Observer,
                Preview = new CameraPreview(0),
                Logger = Logs,
                BetweenPatients = () => Interlocked.Increment(ref _betweenPatients),
            },
            Settings,
            facility);
        Session.Start();
    }

    public SessionSettings Settings { get; }

    /// <summary>How often the work between patients ran (a garbage collection in the service).</summary>
    public int BetweenPatientsRuns => Volatile.Read(ref _betweenPatients);

    private int _betweenPatients;

    public ManualTime Time { get; } = new();

    public FakeCard Card { get; } = new();

    public FakeFace Face { get; } = new();

    public FakeCamera Camera { get; } = new();

    /// <summary>The opens of the patient camera (each visit's lease).</summary>
    public int CameraOpens => Volatile.Read(ref CameraProvider.Opens);

    private FakeCameraProvider CameraProvider => _cameraProvider ??= new FakeCameraProvider(Camera);

    private FakeCameraProvider? _cameraProvider;

    public FakeCardFace CardFace { get; } = new();

    public FakeLink Link { get; }

    public FakeLights Lights { get; } = new();

    public RecordingObserver Observer { get; } = new();

    public ListLogger Logs { get; } = new();

    public SessionLoop Session { get; }

    public ScreenState Current => Session.Current;

    public void Place(string reader = Reader) => Session.Post(new CardInserted(reader, 1));

    public void Remove(string reader = Reader) => Session.Post(new CardTaken(reader));

    /// <summary>Presses on the screen showing now (as the page does: with its state version).</summary>
    public Task<ActionOutcome> Press(KioskAction action) => Session.HandleActionAsync(action with { StateVersion = Session.Current.Version }, CancellationToken.None);

    /// <summary>Presses and waits until the session has handled it.</summary>
    public async Task<ActionOutcome> PressAndSettle(KioskAction action)
    {
        var outcome = await Press(action);
        await Settle();
        return outcome;
    }

    /// <summary>「全て同意する」, then 「この内容で確定」 on the summary of the answers.</summary>
    public async Task ConsentToAllAndConfirm()
    {
        Assert.Equal(ActionOutcome.Accepted, await Press(new KioskAction.ConsentToAll()));
        var summary = await WaitFor<KioskScreen.ConsentSummary>();
        Assert.All(summary.Items, i => Assert.True(i.Agreed));
        Assert.Equal(ActionOutcome.Accepted, await Press(new KioskAction.ConfirmConsent()));
    }

    /// <summary>Everything posted so far was handled by the session task, and the link saw what it sent.</summary>
    public async Task Settle()
    {
        Assert.True(await Session.PingAsync(Patience, CancellationToken.None));
        await Session.FlushLinkAsync();
    }

    /// <summary>Waits for a screen of type <typeparamref name="T"/> (matching <paramref name="when"/>).</summary>
    public async Task<T> WaitFor<T>(Func<T, bool>? when = null)
        where T : KioskScreen => (T)(await WaitForState(when)).Screen;

    /// <summary>Waits for a screen of type <typeparamref name="T"/> and returns the whole state it came in.</summary>
    public Task<ScreenState> WaitForState<T>(Func<T, bool>? when = null)
        where T : KioskScreen => ScreenWait.ForState(Session, Patience, when, () => $" in phase {Session.Phase}");

    /// <summary>Card placed and read: the method choice is showing.</summary>
    public async Task<KioskScreen.MethodChoice> PlaceAndReachMethodChoice()
    {
        Place();
        var screen = await WaitFor<KioskScreen.MethodChoice>();
        return screen;
    }

    /// <summary>Face chosen and matched: the consent top is showing.</summary>
    public async Task ReachConsentByFace()
    {
        await PlaceAndReachMethodChoice();
        Assert.Equal(ActionOutcome.Accepted, await Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
        await WaitFor<KioskScreen.ConsentTop>();
    }

    /// <summary>Face chosen and matched, everything consented to: the done screen is showing and the result was sent.</summary>
    public async Task<KioskScreen.Done> FinishByFace()
    {
        await ReachConsentByFace();
        await ConsentToAllAndConfirm();
        var done = await WaitFor<KioskScreen.Done>();
        await Settle();
        return done;
    }

    public async ValueTask DisposeAsync() => await Session.DisposeAsync();
}

/// <summary>Waiting for a screen on any <see cref="IKioskSession"/> (the session over fakes, the composed service).</summary>
internal static class ScreenWait
{
    public static async Task<ScreenState> ForState<T>(IKioskSession session, TimeSpan patience, Func<T, bool>? when = null, Func<string>? context = null)
        where T : KioskScreen
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await foreach (var state in session.WatchAsync(timeout.Token))
            {
                if (state.Screen is T screen && (when is null || when(screen)))
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} screen within {patience.TotalSeconds} s; showing {session.Current.Screen}{context?.Invoke()}");
    }
}
