using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Reader.HardwareSim.Daemon;

/// <summary>
/// <c>reader-sim serve</c>: hosts the sim parts behind a loopback control API on a Unix socket
/// (default $READER_RUN/sim/control.sock). GET /status lists every part; each part owns /&lt;name&gt;/….
/// </summary>
public static class SimDaemon
{
    public static string DefaultSocketPath()
    {
        var run = Environment.GetEnvironmentVariable("READER_RUN");
        if (string.IsNullOrEmpty(run))
        {
            run = Path.Combine(Directory.GetCurrentDirectory(), ".run");
        }

        return Path.Combine(run, "sim", "control.sock");
    }

    public static bool IsAnswering(string socketPath)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task RunAsync(string socketPath, IReadOnlyList<ISimPart> parts, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        if (File.Exists(socketPath))
        {
            if (IsAnswering(socketPath))
            {
                throw new InvalidOperationException($"a sim daemon is already running at {socketPath}");
            }

            File.Delete(socketPath);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.WriteIndented = true;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        await using var app = builder.Build();
        app.MapGet("/status", () => Results.Json(parts.ToDictionary(p => p.Name, p => p.Status())));
        foreach (var part in parts)
        {
            part.MapEndpoints(app);
            await part.StartAsync(cancellationToken);
        }

        await app.StartAsync(cancellationToken);
        try
        {
            // Ends on SIGTERM/SIGINT (the host's console lifetime) or when the caller cancels.
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            foreach (var part in parts)
            {
                await part.DisposeAsync();
            }

            File.Delete(socketPath);
        }
    }
}
