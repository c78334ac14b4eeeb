using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reader.Camera.Preview;

namespace Reader.HardwareSim.Camera.Playback;

/// <summary>
/// A network camera that plays recorded images: MJPEG over HTTP on loopback (<see cref="Url"/>), the form the product
/// already opens (<c>Camera:Source</c> = an <c>http://…</c> stream). Each connection gets its own playback from the
/// first frame, as a camera that starts filming when the reader opens it; a scenario that does not loop ends the
/// stream, as an unplugged camera would.
/// </summary>
public sealed class PlaybackCamera : IAsyncDisposable
{
    /// <summary>The path of the stream on the server.</summary>
    public const string StreamPath = "/playback.mjpeg";

    private readonly WebApplication server;

    private PlaybackCamera(WebApplication server, Uri url)
    {
        this.server = server;
        Url = url;
    }

    /// <summary>Where the product's camera source connects.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="scenario"/> on <paramref name="host"/> (a free port when <paramref name="port"/> is 0).</summary>
    public static async Task<PlaybackCamera> StartAsync(CameraScenario scenario, ScenarioCameraOptions? options = null, string host = "127.0.0.1", int port = 0,
        ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var playback = (options ?? new ScenarioCameraOptions()) with { OutputFormat = Reader.Imaging.PixelFormat.Rgb24 };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The owner (a test, the sim command) ends this server: no console lifetime taking SIGTERM/SIGINT here.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(host), port));
        var app = builder.Build();
        var writer = new MjpegPreviewWriter(new MjpegPreviewOptions { MaxWidth = null, Quality = 90 });
        app.MapGet(StreamPath, (HttpContext context) => ServeAsync(context, scenario, playback, writer, loggers));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlaybackCamera(app, new Uri(new Uri(address), StreamPath));
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
    }

    private static async Task ServeAsync(HttpContext context, CameraScenario scenario, ScenarioCameraOptions options, MjpegPreviewWriter writer, ILoggerFactory? loggers)
    {
        await using var camera = new ScenarioCameraSource(scenario, options, loggers?.CreateLogger<ScenarioCameraSource>());
        context.Response.ContentType = writer.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        var token = context.RequestAborted;
        try
        {
            while (await camera.NextFrameAsync(token) is { } frame)
            {
                using (frame)
                {
                    await writer.WriteFrameAsync(context.Response.Body, frame.Image, token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The viewer went away.
        }
    }

    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
