using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Session;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

public sealed class HostFixture : IAsyncLifetime
{
    internal ScriptedKioskSession Session { get; } = new();

    internal TestPreviewSource Preview { get; } = new();

    internal KioskHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await KioskHost.StartAsync(Session, new KioskHostOptions
        {
            Port = 0,
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            Voice = new() { WarmUpLanguages = [], HtsVoicePath = TestEnvironment.HtsVoice },
        }, Preview);
        Client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("Cookie", Host.AccessCookie);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>The HTTP surface of the real host, over loopback, without a browser.</summary>
public class HostTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private HttpClient Client => fixture.Client;

    private ScriptedKioskSession Session => fixture.Session;

    [Fact]
    public async Task The_page_and_its_files_are_served_with_a_strict_content_security_policy()
    {
        using var page = await Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var file in new[] { "kiosk.js", "kiosk.css" })
        {
            using var response = await Client.GetAsync(new Uri(file, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var traversal = await Client.GetAsync(new Uri("/..%2fReader.Kiosk.dll", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task The_state_endpoint_returns_the_session_state()
    {
        var shown = Session.Show(new KioskScreen.MethodChoice(FaceOnlyCard: true, PinOffered: false));

        var state = KioskJson.DeserializeState(await Client.GetStringAsync(new Uri("/api/state", UriKind.Relative)))!;

        Assert.Equal(shown.Version, state.Version);
        Assert.Equal(new KioskScreen.MethodChoice(FaceOnlyCard: true, PinOffered: false), state.Screen);
    }

    [Fact]
    public async Task An_action_reaches_the_session_once_and_is_answered_with_the_new_version()
    {
        var shown = Session.Show(new KioskScreen.Idle());
        Session.ClearActions();

        using var response = await PostAsync($$"""{"type":"set-large-text","enabled":true,"stateVersion":{{shown.Version}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new KioskAction.SetLargeText(true) { StateVersion = shown.Version }, Assert.Single(Session.Actions));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("accepted", body.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(Session.Current.Version, body.RootElement.GetProperty("version").GetInt64());
        Session.Show(s => s with { LargeText = false });
    }

    [Fact]
    public async Task A_press_on_a_screen_that_is_gone_is_refused_as_stale_and_never_reaches_the_session()
    {
        var old = Session.Show(new KioskScreen.ConsentTop());
        Session.Show(new KioskScreen.Prescription());
        Session.ClearActions();

        using var response = await PostAsync($$"""{"type":"consent-to-all","stateVersion":{{old.Version}}}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(Session.Actions);
    }

    [Theory]
    [InlineData(ActionOutcome.NotAllowed, HttpStatusCode.UnprocessableEntity)]
    [InlineData(ActionOutcome.Stale, HttpStatusCode.Conflict)]
    public async Task The_session_outcome_becomes_the_http_status(ActionOutcome outcome, HttpStatusCode expected)
    {
        Session.NextOutcome = outcome;
        try
        {
            using var response = await PostAsync("""{"type":"choose-method","method":"pin"}""");
            Assert.Equal(expected, response.StatusCode);
        }
        finally
        {
            Session.NextOutcome = ActionOutcome.Accepted;
        }
    }

    [Theory]
    [InlineData("""{"type":"submit-pin","pin":"12x4"}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"unknown"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"stateVersion":3,"pin":"1234"}""", HttpStatusCode.BadRequest)]
    public async Task Malformed_actions_get_a_clear_error_and_never_reach_the_session(string body, HttpStatusCode expected)
    {
        Session.ClearActions();

        using var response = await PostAsync(body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("malformed-action", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Session.Actions);
    }

    [Fact]
    public async Task An_oversized_action_is_refused()
    {
        using var response = await PostAsync($$"""{"type":"set-language","language":"{{new string('x', 5000)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_pin_reaches_the_session_as_digits_is_wiped_afterwards_and_is_never_in_the_state()
    {
        var shown = Session.Show(new KioskScreen.PinEntry(TriesLeft: 3));
        Session.ClearActions();

        using var response = await PostAsync($$"""{"type":"submit-pin","pin":"4711","stateVersion":{{shown.Version}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("4711"u8.ToArray(), Assert.Single(Session.SubmittedPins));
        var submitted = Assert.IsType<KioskAction.SubmitPin>(Assert.Single(Session.Actions));
        Assert.Throws<ObjectDisposedException>(() => submitted.Pin.Ascii.ToArray());
        Assert.DoesNotContain("4711", await Client.GetStringAsync(new Uri("/api/state", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("4711", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_must_be_same_origin_json_and_hosts_must_be_loopback_names()
    {
        using var form = new HttpRequestMessage(HttpMethod.Post, "/api/action") { Content = new StringContent("type=cancel", Encoding.UTF8, "application/x-www-form-urlencoded") };
        form.Headers.Add("Origin", Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        using var formResponse = await Client.SendAsync(form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, formResponse.StatusCode);

        // Any local process can reach the port; one that sends no Origin (curl, a script) is not the page.
        var before = Session.Actions.Count;
        using var noOrigin = await Client.PostAsync(new Uri("/api/action", UriKind.Relative), Json("""{"type":"cancel"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        using var otherPort = new HttpRequestMessage(HttpMethod.Post, "/api/action") { Content = Json("""{"type":"cancel"}""") };
        otherPort.Headers.Add("Origin", "http://127.0.0.1:1");
        using var otherPortResponse = await Client.SendAsync(otherPort);
        Assert.Equal(HttpStatusCode.Forbidden, otherPortResponse.StatusCode);
        Assert.Equal(before, Session.Actions.Count);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/action") { Content = Json("""{"type":"cancel"}""") };
        foreign.Headers.Add("Origin", "http://evil.example");
        using var foreignResponse = await Client.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, foreignResponse.StatusCode);

        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        rebinding.Headers.Host = "evil.example";
        using var rebindingResponse = await Client.SendAsync(rebinding);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebindingResponse.StatusCode);
    }

    [Fact]
    public async Task The_host_refuses_to_listen_beyond_loopback()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            KioskHost.StartAsync(Session, new KioskHostOptions { Address = IPAddress.Any, Port = 0 }));
    }

    [Fact]
    public async Task String_tables_are_served_for_every_language_and_only_those()
    {
        foreach (var language in KioskLanguages.Codes)
        {
            using var table = JsonDocument.Parse(await Client.GetStringAsync(new Uri($"/api/strings/{language}", UriKind.Relative)));
            Assert.True(table.RootElement.TryGetProperty("idle.title", out _));
        }

        using var unknown = await Client.GetAsync(new Uri("/api/strings/xx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/api/voice/xx/idle.wav")]
    [InlineData("/api/voice/ja/no-such-prompt.wav")]
    [InlineData("/api/voice/ja/..%2fidle.wav")]
    public async Task Unknown_voice_prompts_are_not_found(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_sends_the_current_state_then_each_change_and_keeps_alive()
    {
        Session.Show(new KioskScreen.Reading());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var first = await NextStateAsync(reader, cancel.Token);
        Assert.IsType<KioskScreen.Reading>(first.Screen);

        var published = Session.Show(new KioskScreen.Done(CardLeftBehind: true));
        var second = await NextStateAsync(reader, cancel.Token);
        Assert.Equal(published.Version, second.Version);
        Assert.Equal(new KioskScreen.Done(CardLeftBehind: true), second.Screen);

        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancel.Token);
        }
        while (line is not null && !line.StartsWith(": keep-alive", StringComparison.Ordinal));
        Assert.NotNull(line);
    }

    [Fact]
    public async Task The_preview_streams_jpeg_frames_only_while_the_face_capture_screen_asks_for_it()
    {
        Session.Show(new KioskScreen.FaceCapture(FaceGuidance.Center, 1, 3, Preview: false));
        using (var refused = await Client.GetAsync(new Uri("/api/preview.mjpeg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        Session.Show(new KioskScreen.FaceCapture(FaceGuidance.Center, 1, 3, Preview: true));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Client.GetAsync(new Uri("/api/preview.mjpeg", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("multipart/x-mixed-replace", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var buffer = new byte[4096];
        var received = new MemoryStream();
        while (received.Length < TestPreviewSource.TinyJpeg.Length * 2)
        {
            var read = await stream.ReadAsync(buffer, cancel.Token);
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        Assert.Contains("Content-Type: image/jpeg", Encoding.ASCII.GetString(received.ToArray()), StringComparison.Ordinal);

        // The screen moves on: the stream ends by itself.
        Session.Show(new KioskScreen.Reading());
        while (await stream.ReadAsync(buffer, cancel.Token) > 0)
        {
        }
    }

    private static async Task<ScreenState> NextStateAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return KioskJson.DeserializeState(line["data: ".Length..])!;
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A press as the page sends it: JSON, with the page's Origin (and its cookie, a default of the client).</summary>
    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/action") { Content = Json(body) };
        request.Headers.Add("Origin", Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return await Client.SendAsync(request);
    }
}
