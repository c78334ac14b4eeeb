using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Preview;
using Reader.Kiosk.Session;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Hosting;

/// <summary>
/// The HTTP surface of the kiosk (all on loopback):
/// <c>GET /</c> page · <c>GET /{file}</c> page files · <c>GET /api/state</c> · <c>GET /api/events</c> (SSE) ·
/// <c>POST /api/action</c> · <c>GET /api/strings/{lang}</c> · <c>GET /api/voice/{lang}/{prompt}.wav</c> ·
/// <c>GET /api/preview.mjpeg</c> · <c>GET /api/health</c>.
/// </summary>
internal sealed class KioskEndpoints(
    IKioskSession session,
    KioskHostOptions options,
    PageAssets assets,
    VoiceGuide voice,
    IKioskPreviewSource? preview,
    KioskPages pages,
    ILogger logger)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", context => ServeAssetAsync(context, "index.html"));
        routes.MapGet("/{file}", (HttpContext context, string file) => ServeAssetAsync(context, file));
        routes.MapGet("/api/health", () => Results.Text("{\"status\":\"ok\"}", "application/json"));
        routes.MapGet("/api/state", () => Results.Bytes(KioskJson.SerializeToUtf8(session.Current), "application/json"));
        routes.MapGet("/api/events", context => StateEventStream.WriteAsync(context, session, options.HeartbeatInterval, pages));
        routes.MapPost("/api/action", context => ActionEndpoint.HandleAsync(context, session, options.MaxActionBytes, logger));
        routes.MapGet("/api/strings/{language}", (string language) =>
            KioskStrings.JsonFor(language) is { } json ? Results.Bytes(json, "application/json") : Results.NotFound());
        routes.MapGet("/api/voice/{language}/{prompt}.wav", VoiceAsync);
        routes.MapGet("/api/preview.mjpeg", context => preview is null
            ? Results.NotFound().ExecuteAsync(context)
            : MjpegStream.WriteAsync(context, session, preview));
    }

    private async Task ServeAssetAsync(HttpContext context, string name)
    {
        if (assets.Find(name) is not { } asset)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted);
    }

    private async Task<IResult> VoiceAsync(string language, string prompt, CancellationToken cancellationToken)
    {
        try
        {
            var wav = await voice.GetAsync(language, prompt, cancellationToken);
            return wav is null ? Results.NotFound() : Results.Bytes(wav, "audio/wav");
        }
        catch (VoiceException e)
        {
            logger.LogWarning("Voice prompt {Prompt} in {Language} failed: {Reason}", prompt, language, e.Message);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "voice-unavailable");
        }
    }
}

/// <summary>Server-sent events: the current state on connect, then every change, flushed at once.</summary>
internal static class StateEventStream
{
    public static async Task WriteAsync(HttpContext context, IKioskSession session, TimeSpan heartbeat, KioskPages pages)
    {
        pages.Opened();
        try
        {
            await WriteStatesAsync(context, session, heartbeat);
        }
        finally
        {
            pages.Closed();
        }
    }

    private static async Task WriteStatesAsync(HttpContext context, IKioskSession session, TimeSpan heartbeat)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var token = stop.Token;
        var states = session.WatchAsync(token).GetAsyncEnumerator(token);
        Task<bool>? next = null;
        try
        {
            await response.Body.WriteAsync("retry: 1000\n\n"u8.ToArray(), token);
            await response.Body.FlushAsync(token);
            next = states.MoveNextAsync().AsTask();
            while (!token.IsCancellationRequested)
            {
                var first = await Task.WhenAny(next, Task.Delay(heartbeat, token));
                if (first != next)
                {
                    await response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), token);
                    await response.Body.FlushAsync(token);
                    continue;
                }

                if (!await next)
                {
                    break;
                }

                var state = states.Current;
                var json = KioskJson.SerializeToUtf8(state);
                var frame = new byte[json.Length + 64];
                var length = Encoding.ASCII.GetBytes($"id: {state.Version}\nevent: state\ndata: ", frame);
                json.CopyTo(frame.AsSpan(length));
                length += json.Length;
                frame[length++] = (byte)'\n';
                frame[length++] = (byte)'\n';
                await response.Body.WriteAsync(frame.AsMemory(0, length), token);
                await response.Body.FlushAsync(token);
                next = states.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page closed the stream (reload, shutdown): normal.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            await stop.CancelAsync();
            if (next is not null)
            {
                try
                {
                    await next;
                }
                catch (OperationCanceledException)
                {
                    // Expected: the watcher was cancelled above.
                }
            }

            await states.DisposeAsync();
        }
    }
}
