using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reader.Camera.Preview;

namespace Reader.Camera.Tests;

/// <summary>
/// A real Kestrel server on a free loopback port that streams the given colours as MJPEG through
/// <see cref="MjpegPreviewWriter"/> — the way the simulator serves its virtual camera.
/// </summary>
internal sealed class MjpegServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private MjpegServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    internal Uri Url { get; }

    internal int Requests;

    /// <summary>Each request gets <paramref name="framesPerConnection"/> frames cycling through the colours, then the connection closes.</summary>
    internal static async Task<MjpegServer> StartAsync((byte R, byte G, byte B)[] colours, int framesPerConnection, int intervalMilliseconds = 10)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        MjpegServer? server = null;
        app.MapGet("/camera.mjpeg", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server!.Requests);
            var writer = new MjpegPreviewWriter(new MjpegPreviewOptions { MaxWidth = null, Quality = 90 });
            context.Response.ContentType = writer.ContentType;
            for (int i = 0; i < framesPerConnection && !context.RequestAborted.IsCancellationRequested; i++)
            {
                var (r, g, b) = colours[i % colours.Length];
                using var image = Frames.Solid(64, 48, r, g, b);
                await writer.WriteFrameAsync(context.Response.Body, image, context.RequestAborted);
                await Task.Delay(intervalMilliseconds, context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new MjpegServer(app, new Uri(new Uri(address), "/camera.mjpeg"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A raw TCP server writing one fixed HTTP response, for malformed and unusual streams.</summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    internal RawHttpServer(Func<NetworkStream, CancellationToken, Task> respond)
    {
        listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/stream");
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                await using var stream = client.GetStream();
                await ReadRequestAsync(stream, stop.Token);
                try
                {
                    await respond(stream, stop.Token);
                }
                catch (IOException)
                {
                }
            }
        });
    }

    internal Uri Url { get; }

    internal static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }

    private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (!(seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return;
            }

            seen.Add(one[0]);
        }
    }
}
