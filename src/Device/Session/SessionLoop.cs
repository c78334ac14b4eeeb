using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Reader.Card.MyNumber;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>
/// The long-lived session loop, one per service run (each card placement is one <see cref="Visit"/> inside it), as
/// the rest of the service sees it: one channel of inputs (card events, presses, terminal
/// commands, timers, job outcomes) and one task that hands them, in order, to the <see cref="SessionMachine"/>.
/// It is the kiosk's <see cref="IKioskSession"/>: screens come from its publisher, presses become inputs.
/// </summary>
internal sealed partial class SessionLoop : IKioskSession, IAsyncDisposable
{
    private readonly Channel<SessionInput> _inputs = Channel.CreateUnbounded<SessionInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ScreenStatePublisher _screens;
    private readonly SessionMachine _machine;
    private readonly LinkPump _pump;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SessionLoop(SessionPorts ports, SessionSettings settings, FacilitySettings? facility = null)
    {
        _logger = ports.Logger;
        facility ??= FacilitySettings.Defaults(settings);
        _screens = new ScreenStatePublisher(ScreenState.Initial with { Languages = facility.Languages });
        _pump = new LinkPump(ports.Logger);
        _machine = new SessionMachine(ports, settings, facility, _screens, _pump, Post);
    }

    public ScreenState Current => _screens.Current;

    /// <summary>The running session's id (null when no card is in).</summary>
    public string? CurrentSessionId => _machine.CurrentSessionId;

    public Phase Phase => _machine.Phase;

    public ReaderMode Mode => _machine.Mode;

    public void Start() => _loop ??= Task.Run(RunAsync);

    public void Post(SessionInput input)
    {
        if (!_inputs.Writer.TryWrite(input) && input is Pressed { Pin: { } pin })
        {
            pin.Dispose();
        }
    }

    public IAsyncEnumerable<ScreenState> WatchAsync(CancellationToken cancellationToken) => _screens.WatchAsync(cancellationToken);

    /// <summary>Checks the press against the screen showing (stale → 409, not offered → 422), then queues it.</summary>
    public Task<ActionOutcome> HandleActionAsync(KioskAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var current = _screens.Current;
        var version = action.StateVersion ?? current.Version;
        if (PressedOn(version, current) is not { } pressedOn)
        {
            return Task.FromResult(ActionOutcome.Stale);
        }

        if (!ActionRules.IsAllowed(current, action))
        {
            return Task.FromResult(ActionOutcome.NotAllowed);
        }

        PinHolder? pin = null;
        if (action is KioskAction.SubmitPin submit)
        {
            if (submit.Pin.Length != 4)
            {
                return Task.FromResult(ActionOutcome.NotAllowed);
            }

            // The kiosk wipes its PinDigits when this returns: the session keeps its own wiped-on-dispose copy.
            pin = new PinHolder(SecretDigits.FromAscii(submit.Pin.Ascii));
            action = new KioskAction.SubmitPin(EmptyPin) { StateVersion = version };
        }

        Post(new Pressed(action, version, pressedOn, pin));
        return Task.FromResult(ActionOutcome.Accepted);
    }

    public bool AcceptsPressOn(long version) => PressedOn(version, _screens.Current) is not null;

    /// <summary>
    /// The screen a press on state <paramref name="version"/> was made on, when it still counts: the current state, or a
    /// recent one showing the same screen with older live data (<see cref="SessionMachine.SameScreen"/>, the rule the
    /// session applies again when it takes the press). Null: stale.
    /// </summary>
    private KioskScreen? PressedOn(long version, ScreenState current)
    {
        if (version == current.Version)
        {
            return current.Screen;
        }

        return _screens.Recent(version) is { } seen && SessionMachine.SameScreen(seen.Screen, current.Screen) ? seen.Screen : null;
    }

    /// <summary>Completes once the session task has handled everything posted before (watchdog, tests).</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new Ping(reply));
        try
        {
            await reply.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Completes when the events queued so far went to the link (tests).</summary>
    public Task FlushLinkAsync() => _pump.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        _inputs.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
            }
        }

        await _machine.ShutdownAsync();
        _machine.Dispose();
        await _pump.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A placeholder so the queued press never carries the digits (they travel in the <see cref="PinHolder"/>).</summary>
    private static readonly PinDigits EmptyPin = new("0"u8);

    private async Task RunAsync()
    {
        try
        {
            await foreach (var input in _inputs.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    _machine.Handle(input);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A bug must not leave a patient stuck or send anything partial: abort, keep serving.
                    SessionLog.InputFailed(_logger, input.GetType().Name, e.GetType().Name, e);
                    _machine.Fault();
                }
                finally
                {
                    if (input is Pressed { Pin: { } pin })
                    {
                        pin.Dispose();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
