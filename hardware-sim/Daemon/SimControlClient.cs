using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Reader.HardwareSim.Daemon;

/// <summary>HTTP over the daemon's Unix socket, for the CLI verbs (and anyone else driving a running sim).</summary>
public sealed class SimControlClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://sim"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>
    /// One CLI verb against the running daemon: prints the answer as indented JSON; exit 2 without a daemon, 1 when it
    /// refuses.
    /// </summary>
    public static async Task<int> CommandAsync(string socket, Func<SimControlClient, Task<JsonElement>> action)
    {
        if (!File.Exists(socket))
        {
            await Console.Error.WriteLineAsync($"reader-sim: no daemon at {socket} (run ./reader sim up)");
            return 2;
        }

        using var client = new SimControlClient(socket);
        try
        {
            Console.WriteLine(JsonSerializer.Serialize(await action(client), JsonOptions.Indented));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"reader-sim: {e.Message}");
            return 1;
        }
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public async Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { }, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = json.TryGetProperty("error", out var e) ? e.GetString() : response.ReasonPhrase;
            throw new InvalidOperationException(error);
        }

        return json;
    }
}
