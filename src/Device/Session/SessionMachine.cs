using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>
/// The patient session as a state machine: <see cref="Handle"/> takes one input at a time on the session task
/// (SessionMachine.Transitions.cs lists every transition); the phase files (.Card, .Face, .Pin, .Visual,
/// .Consent, .End, .Terminal) hold what each step does. It never waits: card, camera, vision and terminal work
/// runs as jobs whose outcomes come back as inputs.
/// </summary>
internal sealed partial class SessionMachine : IDisposable
{
    private readonly SessionPorts _ports;
    private readonly SessionSettings _settings;
    private readonly ScreenStatePublisher _screens;
    private readonly SessionTimers _timers;
    private readonly LinkPump _pump;
    private readonly Action<SessionInput> _post;
    private readonly ILogger _logger;
    private readonly Dictionary<string, long> _recentPlacements = new(StringComparer.Ordinal);
    private Phase _phase = Phase.Idle;
    private Visit? _visit;
    private ReaderMode _mode = ReaderMode.Automatic;
    private FacilitySettings _facility;
    private string? _currentSessionId;
    private Action? _resumePairing;

    public SessionMachine(SessionPorts ports, SessionSettings settings, FacilitySettings facility, ScreenStatePublisher screens, LinkPump pump, Action<SessionInput> post)
    {
        _ports = ports;
        _settings = settings;
        _facility = facility;
        _screens = screens;
        _pump = pump;
        _post = post;
        _logger = ports.Logger;
        _timers = new SessionTimers(ports.Time, post);
    }

    public Phase Phase => _phase;

    /// <summary>The running session's id, for the terminal's commands (read from any thread).</summary>
    public string? CurrentSessionId => Volatile.Read(ref _currentSessionId);

    public ReaderMode Mode => _mode;

    public void Dispose() => _timers.Dispose();

    /// <summary>The service stops: the patient at the reader (if any) is let go — jobs stopped, secrets wiped, card unpowered.</summary>
    public async Task ShutdownAsync()
    {
        _timers.StopAll();
        _ports.Preview.Showing = false;
        if (_visit is { } visit)
        {
            _visit = null;
            Volatile.Write(ref _currentSessionId, null);
            await visit.DisposeAsync();
        }
    }

    // ---- screens ----

    /// <summary>Enters <paramref name="phase"/> showing <paramref name="screen"/>; interactive screens get the inactivity countdown.</summary>
    private void Show(Phase phase, KioskScreen screen, bool countdown = false, bool cancelAllowed = true)
    {
        _phase = phase;
        _ports.Preview.Showing = phase == Phase.FaceCapture;
        Countdown? shown = null;
        if (countdown)
        {
            shown = Countdown.Starting(_ports.Time, _settings.Inactivity);
            _timers.Start(SessionTimer.Inactivity, _settings.Inactivity);
        }
        else
        {
            _timers.Stop(SessionTimer.Inactivity);
        }

        _screens.Update(s => s with { Screen = screen, Countdown = shown, CancelAllowed = cancelAllowed });
        SessionLog.Screen(_logger, phase);
    }

    /// <summary>Same phase, new data (guidance, an answered consent item): the countdown keeps running.</summary>
    private void Refresh(KioskScreen screen) => _screens.Update(s => s with { Screen = screen });

    /// <summary>Any press restarts the inactivity timer of the screen showing.</summary>
    private void RestartInactivityTimer()
    {
        if (_screens.Current.Countdown is { } countdown)
        {
            _timers.Start(SessionTimer.Inactivity, TimeSpan.FromSeconds(countdown.TotalSeconds));
        }
    }

    /// <summary>Shows the deadline of the timer a press restarted, on the screen that is still showing.</summary>
    private void PublishRestartedCountdown(Countdown countdown)
    {
        var length = TimeSpan.FromSeconds(countdown.TotalSeconds);
        _screens.Update(s => s with { Countdown = Countdown.Starting(_ports.Time, length, countdown.ExtendOffered) });
    }

    private ScreenState IdleState() => ScreenState.Initial with
    {
        Screen = new KioskScreen.Idle(_mode == ReaderMode.VisualCheck),
        Languages = _facility.Languages,
        CancelAllowed = false,
    };

    // ---- the terminal ----

    private void Publish(SessionEvent sessionEvent)
    {
        var link = _ports.Link;
        _pump.Enqueue(token => link.PublishEventAsync(sessionEvent, token));
    }

    private void SetBusy(bool busy)
    {
        var link = _ports.Link;
        _pump.Enqueue(token => link.SetSessionActiveAsync(busy, token));
    }

    private void Milestone(Visit visit, SessionMilestoneKind kind) => Milestone(_ports, visit.SessionId, visit.PlacedAt, kind);

    /// <summary>Also called from jobs (thread-safe: reads only immutable values).</summary>
    internal static void Milestone(SessionPorts ports, string sessionId, long placedAt, SessionMilestoneKind kind)
    {
        if (ports.Observer is not { } observer)
        {
            return;
        }

        var now = ports.Time.GetTimestamp();
        observer.OnMilestone(new SessionMilestone(sessionId, kind, now, ports.Time.GetElapsedTime(placedAt, now)));
    }

    // ---- jobs ----

    /// <summary>
    /// Runs <paramref name="work"/> off the session task for <paramref name="visit"/>; its outcome (or
    /// <paramref name="onError"/>'s) comes back as an input. Cancelled with the patient; never throws.
    /// </summary>
    private void Job(Visit visit, Func<CancellationToken, Task<SessionInput?>> work, Func<Exception, SessionInput?> onError, CancellationToken? token = null)
    {
        var stop = token ?? visit.Stop.Token;
        var post = _post;
        var logger = _logger;
        visit.Track(Task.Run(async () =>
        {
            SessionInput? outcome;
            try
            {
                outcome = await work(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                SessionLog.JobFailed(logger, CardFailures.Describe(e));
                outcome = onError(e);
            }

            if (outcome is not null)
            {
                post(outcome);
            }
        }, CancellationToken.None));
    }

    /// <summary>A card job: card failures come back as <see cref="CardFailed"/>.</summary>
    private void CardJob(Visit visit, Func<ICardConnection, CancellationToken, Task<SessionInput?>> work) =>
        Job(visit, token => visit.Card.RunAsync(work, token), e => new CardFailed(visit.SessionId, CardFailures.ToError(e)));

    private static string NewSessionId() => "s" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
