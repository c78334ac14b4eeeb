using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Patient;
using Reader.HardwareSim.Vpcd;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>How one visit at the reader went, as the patient saw it (Stopwatch timestamps of the bench process).</summary>
internal sealed record Visit(string CardId, string Certificate, string Method, long PlacedAt)
{
    /// <summary>When the card was read (the method choice or the next screen after it appeared); 0 when never.</summary>
    public long CardReadAt { get; set; }

    /// <summary>When the first face frame was judged (a face guidance or a decision); 0 when never.</summary>
    public long FaceSeenAt { get; set; }

    /// <summary>When 「カードをお取りください」 (done: the result is stored) appeared; 0 when it did not.</summary>
    public long DoneAt { get; set; }

    public DateTimeOffset PlacedWall { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset DoneWall { get; set; }

    /// <summary>The screen (and its reason) that ended a visit without a result, or a time-out; null on success.</summary>
    public string? Failure { get; set; }

    public int FaceFailures { get; set; }

    /// <summary>A face visit that the reader did not offer face recognition (or withdrew it before the press): PIN instead.</summary>
    public bool FaceNotOffered { get; set; }

    public bool Succeeded => DoneAt != 0;
}

/// <summary>
/// A patient at the touchscreen without a browser: follows the kiosk's state stream and POSTs the presses the page
/// would send (<c>/api/action</c> with the state version), places and takes the virtual card, types the PIN. Face or
/// PIN, consent to all, electronic prescription when asked. It never throws for what the reader shows: a visit that
/// ends on another screen is recorded with that screen, so faults can be counted instead of crashing the bench.
/// </summary>
internal sealed class TouchPatient : IAsyncDisposable
{
    private static readonly string[] AfterPlacement = ["method-choice", "card-error", "renewal-notice", "registration", "ended", "face-capture", "pin-entry", "consent-top", "visual-check"];
    private static readonly string[] AfterFace = ["consent-top", "face-failed", "ended", "card-error", "staff-called"];
    private static readonly string[] AfterPin = ["consent-top", "pin-entry", "pin-locked", "ended", "card-error"];
    private static readonly string[] AfterConsent = ["done", "consent-summary", "prescription", "card-error", "ended"];
    private readonly HttpClient http;
    private readonly VirtualReaders readers;

    /// <summary>The state version of the screen the last accepted press was made on.</summary>
    private long lastPressedVersion;

    /// <summary>The newer state on which a press the patient reached for was no longer offered (see <c>PressOnAsync</c>).</summary>
    private (long Arrival, ObservedState State)? withdrawn;

    public TouchPatient(Uri kiosk, VirtualReaders readers)
    {
        Kiosk = kiosk;
        this.readers = readers;
        // What the page's own requests carry: its session cookie (the key traded at /?key=…) and its origin.
        var origin = new Uri(kiosk.GetLeftPart(UriPartial.Authority) + "/");
        http = new HttpClient { BaseAddress = origin, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("Origin", kiosk.GetLeftPart(UriPartial.Authority));
        if (KioskAddress.AccessCookie(kiosk) is { } cookie)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        // The page's state stream: only the last states kept (thousands of patients), reconnecting quickly after a restart.
        Feed = new KioskStateFeed(kiosk) { HistoryLimit = 64, ReconnectDelay = TimeSpan.FromMilliseconds(250) };
        Feed.Start();
    }

    public Uri Kiosk { get; }

    public KioskStateFeed Feed { get; }

    /// <summary>How long one step may take before the visit counts as failed (generous: the machine is shared).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the kiosk shows idle (after a start or a restart of the service).</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Feed.Current?.Screen == "idle" && Feed.Connected)
        {
            return true;
        }

        return await Feed.WaitAsync(Feed.Arrivals - 1, ["idle"], timeout, cancellationToken) is not null;
    }

    /// <summary>
    /// One patient: places <paramref name="card"/> in slot 0, verifies by <paramref name="method"/> ("face" or "pin"),
    /// consents to all, takes the card back and waits for idle.
    /// </summary>
    public async Task<Visit> VisitAsync(VirtualMyNumberCard card, string pin, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var visit = new Visit(card.Identity.Id, Convert.ToBase64String(card.Identity.AuthCertificate), method, Stopwatch.GetTimestamp());
        var mark = Feed.Arrivals;
        await readers.InsertAsync(0, card);
        try
        {
            await WalkAsync(visit, mark, pin, cancellationToken);
        }
        finally
        {
            await readers.RemoveAsync(0);
        }

        var afterRemoval = Feed.Arrivals;
        if (Feed.Current?.Screen != "idle")
        {
            await Feed.WaitAsync(afterRemoval - 1, ["idle"], StepTimeout, cancellationToken);
        }

        return visit;
    }

    private async Task WalkAsync(Visit visit, long mark, string pin, CancellationToken cancellationToken)
    {
        var state = await NextAsync(mark, AfterPlacement, visit, "card not read", cancellationToken);
        if (state is null)
        {
            return;
        }

        visit.CardReadAt = Stopwatch.GetTimestamp();
        if (state.Value.State.Screen != "method-choice")
        {
            visit.Failure = Describe(state.Value.State);
            return;
        }

        var usePin = visit.Method == "pin" || state.Value.State.Flag("faceOffered") == false;
        visit.FaceNotOffered = visit.Method == "face" && usePin;
        if (!usePin)
        {
            var choice = state.Value;
            state = await FaceAsync(visit, choice, cancellationToken);
            if (state is null && visit.Failure is null && withdrawn is { } newer)
            {
                // Face was withdrawn while the patient reached for it (the card-face look failed just then): the newer
                // method screen offers the PIN, and the patient takes it, as they would reading the screen again.
                state = newer;
                usePin = true;
                visit.FaceNotOffered = true;
            }
            else if (state is null)
            {
                return;
            }

            if (state.Value.State.Screen == "face-failed")
            {
                // Three attempts gone or no retry offered: the PIN, as a patient would be shown.
                usePin = true;
            }
        }

        if (usePin)
        {
            state = await PinAsync(visit, state!.Value, pin, cancellationToken);
            if (state is null)
            {
                return;
            }
        }

        if (state!.Value.State.Screen != "consent-top")
        {
            visit.Failure = Describe(state.Value.State);
            return;
        }

        if (await PressOnAsync("{\"type\":\"consent-to-all\"", state.Value, visit, cancellationToken) is not { } consented)
        {
            return;
        }

        state = await NextAsync(consented, AfterConsent, visit, "no result after consent", cancellationToken);
        // The summary of the answers (only its confirm sends anything) and the prescription form, in whichever order the reader asks.
        for (var step = 0; step < 3 && state?.State.Screen is "consent-summary" or "prescription"; step++)
        {
            var screen = state.Value.State.Screen;
            var press = screen == "consent-summary"
                ? "{\"type\":\"confirm-consent\""
                : "{\"type\":\"choose-prescription\",\"form\":\"electronic\"";
            if (await PressOnAsync(press, state.Value, visit, cancellationToken) is not { } pressed)
            {
                return;
            }

            // The next screen, not a newer version of this one that was published before the press landed (pressing on that
            // one would be refused as stale once the reader moved on).
            state = await NextAsync(pressed, [.. AfterConsent.Where(s => s != screen)], visit, "no result after " + screen, cancellationToken);
        }

        if (state is null)
        {
            return;
        }

        if (state.Value.State.Screen == "done")
        {
            visit.DoneAt = Stopwatch.GetTimestamp();
            visit.DoneWall = DateTimeOffset.UtcNow;
        }
        else
        {
            visit.Failure = Describe(state.Value.State);
        }
    }

    /// <summary>Face, retried while the reader offers it; ends on consent, a face failure with no retry, or another screen.</summary>
    private async Task<(long Arrival, ObservedState State)?> FaceAsync(Visit visit, (long Arrival, ObservedState State) choice, CancellationToken cancellationToken)
    {
        if (await PressOnAsync("{\"type\":\"choose-method\",\"method\":\"face\"", choice, visit, cancellationToken, s => s.Flag("faceOffered") != false) is not { } chosen)
        {
            return null;
        }

        var from = chosen;
        while (true)
        {
            var outcome = await NextAsync(from, AfterFace, visit, "no face decision", cancellationToken);
            if (outcome is null)
            {
                return null;
            }

            if (outcome.Value.State.Screen == "consent-top" && visit.FaceSeenAt == 0)
            {
                // A match: the camera delivered frames and the pipeline judged them.
                visit.FaceSeenAt = Stopwatch.GetTimestamp();
            }

            if (outcome.Value.State.Screen != "face-failed")
            {
                return outcome;
            }

            visit.FaceFailures++;
            if (outcome.Value.State.Flag("retryOffered") != true)
            {
                return outcome;
            }

            if (await PressOnAsync("{\"type\":\"retry-face\"", outcome.Value, visit, cancellationToken) is not { } retried)
            {
                return null;
            }

            from = retried;
        }
    }

    private async Task<(long Arrival, ObservedState State)?> PinAsync(Visit visit, (long Arrival, ObservedState State) at, string pin, CancellationToken cancellationToken)
    {
        if (await PressOnAsync("{\"type\":\"choose-method\",\"method\":\"pin\"", at, visit, cancellationToken) is not { } chosen)
        {
            return null;
        }

        var entry = await NextAsync(chosen, ["pin-entry", "ended", "card-error"], visit, "no PIN pad", cancellationToken);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value.State.Screen != "pin-entry")
        {
            visit.Failure = Describe(entry.Value.State);
            return null;
        }

        if (await PressOnAsync("{\"type\":\"submit-pin\",\"pin\":\"" + pin + "\"", entry.Value, visit, cancellationToken) is not { } submitted)
        {
            return null;
        }

        // The answer is a newer screen than the pad pressed on: the same pad again (the event stream's replay after a
        // reconnect) is not the card's answer.
        var padVersion = lastPressedVersion;
        var after = await NextAsync(submitted, AfterPin, visit, "no answer to the PIN", cancellationToken, s => s.Screen != "pin-entry" || s.Version > padVersion);
        if (after?.State.Screen is "pin-entry" or "pin-locked")
        {
            visit.Failure = Describe(after.Value.State);
            return null;
        }

        return after;
    }

    private async Task<(long Arrival, ObservedState State)?> NextAsync(long after, IReadOnlyCollection<string> screens, Visit visit, string what, CancellationToken cancellationToken, Func<ObservedState, bool>? also = null)
    {
        var state = await Feed.WaitAsync(after, s => screens.Contains(s.Screen) && (also is null || also(s)), StepTimeout, cancellationToken);
        if (state is null)
        {
            visit.Failure = $"{what} within {StepTimeout.TotalSeconds:0} s (showing {Feed.Current?.Screen ?? "nothing"})";
        }

        return state;
    }

    /// <summary>
    /// A press on the screen the patient saw, as a person does it: when the reader refuses it as stale (409: the state
    /// moved on between seeing and pressing — a guidance update, a card-face look, the reading screen in between), the
    /// patient looks again and presses only if that same screen is showing (its newest version), never on another
    /// screen. When <paramref name="stillOffered"/> says the newer version no longer offers the press, the patient does
    /// not press: null with no failure, and that state kept in <see cref="withdrawn"/> for the caller to decide again.
    /// The arrival of the state pressed on, or null when the press did not land (the visit's failure says why).
    /// </summary>
    private async Task<long?> PressOnAsync(string actionWithoutEnd, (long Arrival, ObservedState State) seen, Visit visit, CancellationToken cancellationToken, Func<ObservedState, bool>? stillOffered = null)
    {
        withdrawn = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (outcome, status) = await SendPressAsync(actionWithoutEnd, seen.State.Version, cancellationToken);
            if (outcome == PressOutcome.Accepted)
            {
                lastPressedVersion = seen.State.Version;
                return seen.Arrival;
            }

            if (outcome != PressOutcome.Stale)
            {
                visit.Failure = outcome == PressOutcome.NotAnswering
                    ? "kiosk not answering"
                    : $"press refused ({outcome}, HTTP {status}) on {Feed.Current?.Screen ?? "nothing"}";
                return null;
            }

            // The newest state of the same screen (it may be showing already, or come back after an in-between screen).
            var again = await Feed.WaitAsync(seen.Arrival, [seen.State.Screen], TimeSpan.FromSeconds(5), cancellationToken, newest: true);
            if (again is null || again.Value.State.Version == seen.State.Version || Feed.Current?.Screen != seen.State.Screen)
            {
                visit.Failure = $"press refused as stale on {seen.State.Screen} (now showing {Feed.Current?.Screen ?? "nothing"})";
                return null;
            }

            if (stillOffered is not null && !stillOffered(again.Value.State))
            {
                withdrawn = again.Value;
                return null;
            }

            seen = again.Value;
        }

        visit.Failure = $"press on {seen.State.Screen} refused as stale 5 times";
        return null;
    }

    private enum PressOutcome
    {
        Accepted,
        Stale,
        Refused,
        NotAnswering,
    }

    private async Task<(PressOutcome Outcome, int Status)> SendPressAsync(string actionWithoutEnd, long version, CancellationToken cancellationToken)
    {
        var body = actionWithoutEnd + ",\"stateVersion\":" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
        try
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri("api/action", UriKind.Relative), content, cancellationToken);
            var outcome = response.StatusCode switch
            {
                HttpStatusCode.Accepted => PressOutcome.Accepted,
                HttpStatusCode.Conflict => PressOutcome.Stale,
                _ => PressOutcome.Refused,
            };
            return (outcome, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (PressOutcome.NotAnswering, 0);
        }
    }

    /// <summary>One press outside a scripted visit (a bench's fault in the middle of a session): true when accepted.</summary>
    public async Task<bool> PressAsync(string actionWithoutEnd, long version, CancellationToken cancellationToken) =>
        (await SendPressAsync(actionWithoutEnd, version, cancellationToken)).Outcome == PressOutcome.Accepted;

    private static string Describe(ObservedState state)
    {
        var detail = state.Text("reason") ?? state.Text("kind") ?? state.Text("detailCode");
        return detail is null ? state.Screen : state.Screen + ":" + detail;
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        http.Dispose();
    }
}
