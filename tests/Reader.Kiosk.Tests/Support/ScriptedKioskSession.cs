using System.Collections.Concurrent;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;

namespace Reader.Kiosk.Tests.Support;

/// <summary>
/// A scripted session behind the real seam: the test decides which screen shows; display settings and
/// language are applied like the real session would; every other press is recorded (PIN digits copied
/// so the test can check them, because the host wipes the originals).
/// </summary>
internal sealed class ScriptedKioskSession : IKioskSession
{
    private readonly ScreenStatePublisher _publisher = new();

    public ConcurrentQueue<KioskAction> Actions { get; } = new();

    public ConcurrentQueue<byte[]> SubmittedPins { get; } = new();

    public ActionOutcome NextOutcome { get; set; } = ActionOutcome.Accepted;

    public ScreenState Current => _publisher.Current;

    public int WatcherCount => _publisher.WatcherCount;

    public IAsyncEnumerable<ScreenState> WatchAsync(CancellationToken cancellationToken) => _publisher.WatchAsync(cancellationToken);

    public ScreenState Show(KioskScreen screen, Countdown? countdown = null, bool cancelAllowed = true) =>
        _publisher.Update(s => s with { Screen = screen, Countdown = countdown, CancelAllowed = cancelAllowed });

    public ScreenState Show(Func<ScreenState, ScreenState> change) => _publisher.Update(change);

    public void ClearActions()
    {
        Actions.Clear();
        SubmittedPins.Clear();
    }

    public Task<ActionOutcome> HandleActionAsync(KioskAction action, CancellationToken cancellationToken)
    {
        if (action is KioskAction.SubmitPin submit)
        {
            SubmittedPins.Enqueue(submit.Pin.Ascii.ToArray());
        }

        Actions.Enqueue(action);
        switch (action)
        {
            case KioskAction.SetLanguage { Language: var language } when KioskLanguages.IsSupported(language):
                _publisher.Update(s => s with { Language = language });
                break;
            case KioskAction.SetLargeText { Enabled: var enabled }:
                _publisher.Update(s => s with { LargeText = enabled });
                break;
            case KioskAction.SetHighContrast { Enabled: var enabled }:
                _publisher.Update(s => s with { HighContrast = enabled });
                break;
            case KioskAction.SetConsentItem { ItemId: var id, Agreed: var agreed } when Current.Screen is KioskScreen.ConsentItems items:
                _publisher.Update(s => s with
                {
                    Screen = items with { Items = [.. items.Items.Select(i => i.Id == id ? i with { Agreed = agreed } : i)] },
                });
                break;
            case KioskAction.ExtendTime when Current.Countdown is { } countdown:
                _publisher.Update(s => s with { Countdown = countdown with { Deadline = DateTimeOffset.UtcNow.AddSeconds(countdown.TotalSeconds) } });
                break;
            default:
                break;
        }

        return Task.FromResult(NextOutcome);
    }
}
