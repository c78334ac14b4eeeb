using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.HardwareSim.Daemon;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// The virtual patient camera as a part of the sim daemon. The stream is served over loopback TCP
/// (<c>GET http://127.0.0.1:35970/camera/stream.mjpeg</c>, <c>/camera/frame.jpg</c>, a viewer page at
/// <c>/camera/</c>), which is what the reader service's <c>Camera:Source</c> points at. Control goes
/// through the daemon's Unix socket: <c>GET /camera</c> (status), <c>POST /camera/play</c>
/// <c>{"scene":"photo","portrait":"/path.jpg"}</c>.
/// </summary>
public sealed class CameraSimPart : ISimPart
{
    private readonly CameraSimOptions options;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly PortraitLibrary portraits;
    private readonly MjpegBroadcast broadcast;
    private WebApplication? server;

    public CameraSimPart(CameraSimOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        this.options = options ?? new CameraSimOptions();
        loggers = loggerFactory ?? NullLoggerFactory.Instance;
        logger = loggers.CreateLogger("camera");
        portraits = new PortraitLibrary(logger: logger);
        var holder = this.options.HolderPortrait ?? PortraitLibrary.DefaultHolderPath;
        Camera = new VirtualCamera(portraits, holder, this.options.OtherPortrait ?? PortraitLibrary.DefaultImpostorPath, this.options.Scene);
        broadcast = new MjpegBroadcast(Camera, this.options.FramesPerSecond, this.options.Quality, logger);
    }

    public string Name => "camera";

    public VirtualCamera Camera { get; }

    /// <summary>The stream's URL (valid once started).</summary>
    public Uri StreamUrl { get; private set; } = new("http://127.0.0.1/camera/stream.mjpeg");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The daemon (or the test) owns this part's life: no console lifetime taking SIGTERM/SIGINT here.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(options.Host), options.Port));
        server = builder.Build();
        MapStream(server);
        await server.StartAsync(cancellationToken);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        StreamUrl = new Uri(new Uri(address.Replace("[::]", options.Host, StringComparison.Ordinal)), "/camera/stream.mjpeg");
        logger.LogInformation("camera: MJPEG at {Url}", StreamUrl);

        // The face models load for a moment to find the default portraits' eyes; do it before the first viewer.
        // Without portraits or models the cards must still work: the camera then says why and serves nothing.
        try
        {
            await Task.Run(Camera.Prepare, cancellationToken);
        }
        catch (Exception e) when (IsPortraitProblem(e))
        {
            logger.LogError("camera: cannot prepare the portraits, no frames until a scene is played with a usable one: {Error}", e.Message);
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/camera");
        group.MapGet("", () => Results.Json(Status()));
        group.MapPost("/play", (CameraPlayRequest request) =>
        {
            if (!SceneNames.TryParse(request.Scene, out var kind))
            {
                return Results.BadRequest(new { error = $"unknown scene '{request.Scene}' ({string.Join(", ", SceneNames.All)})" });
            }

            try
            {
                var scene = Camera.Play(kind, request.Portrait, request.Other);
                logger.LogInformation("camera: now playing {Scene} ({Portrait})", SceneNames.Of(kind), scene.Subject.Name);
                return Results.Json(Status());
            }
            catch (Exception e) when (IsPortraitProblem(e))
            {
                return Results.BadRequest(new { error = e.Message });
            }
        });
    }

    public object Status()
    {
        Scene scene;
        try
        {
            scene = Camera.Current;
        }
        catch (Exception e) when (IsPortraitProblem(e))
        {
            return new { url = StreamUrl.ToString(), error = e.Message };
        }

        return new
        {
            url = StreamUrl.ToString(),
            scene = SceneNames.Of(scene.Kind),
            portrait = scene.Holder.Name,
            other = scene.Other.Name,
            sceneSeconds = Math.Round(Camera.SceneTime.TotalSeconds, 1),
            framesPerSecond = options.FramesPerSecond,
            viewers = broadcast.Viewers,
            framesSent = broadcast.FramesSent,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await broadcast.DisposeAsync();
        if (server is not null)
        {
            await server.StopAsync(CancellationToken.None);
            await server.DisposeAsync();
        }

        portraits.Dispose();
    }

    private void MapStream(WebApplication app)
    {
        app.MapGet("/camera/stream.mjpeg", async (HttpContext context) =>
        {
            using var lease = broadcast.Join();
            context.Response.ContentType = broadcast.Writer.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            var token = context.RequestAborted;
            try
            {
                await foreach (var jpeg in lease.Frames.ReadAllAsync(token))
                {
                    await broadcast.Writer.WritePartAsync(context.Response.Body, jpeg, token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The viewer went away.
            }
        });
        app.MapGet("/camera/frame.jpg", () => Results.File(broadcast.EncodeNow(), "image/jpeg"));
        app.MapGet("/camera/", () => Results.Content(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>virtual patient camera</title></head>"
            + "<body style=\"margin:0;background:#222\"><img src=\"/camera/stream.mjpeg\" alt=\"virtual patient camera\" style=\"max-width:100%\"></body></html>",
            "text/html; charset=utf-8"));
    }

    /// <summary>A portrait file missing or without a face, or the face models unavailable to find its eyes.</summary>
    internal static bool IsPortraitProblem(Exception e) => e is FileNotFoundException or InvalidOperationException or Reader.Imaging.ImageFormatException
        or Reader.Vision.VisionModelException or Reader.Vision.VisionRuntimeException;

    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
