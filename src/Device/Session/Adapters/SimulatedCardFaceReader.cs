using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Reader.Card.MyNumber;

namespace Reader.Device.Session;

/// <summary>
/// 照合番号B from the simulator (until card-face OCR exists): the virtual card's printed data,
/// <c>GET /card/slots/{n}/printed</c> over the sim daemon's Unix socket. The slot is the configured one for the
/// reader, else the last number of its name (<c>Virtual PCD 00 01</c> → 1). The digits are copied into a
/// <see cref="SecretDigits"/> and every buffer that held them is cleared.
/// </summary>
public sealed class SimulatedCardFaceReader : ICardFaceReader, IDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyDictionary<string, int> _slots;

    public SimulatedCardFaceReader(string controlSocket, IReadOnlyDictionary<string, int>? slotOfReader = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(controlSocket);
        _slots = slotOfReader ?? new Dictionary<string, int>();
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(controlSocket), token);
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
            Timeout = TimeSpan.FromSeconds(5),
        };
    }

    /// <summary>Whether the simulator answers on its control socket (self-test).</summary>
    public async Task<bool> IsAnsweringAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/status", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The simulator slot of <paramref name="readerName"/>.</summary>
    public int SlotOf(string readerName)
    {
        if (_slots.TryGetValue(readerName, out var slot))
        {
            return slot;
        }

        var last = readerName.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return int.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }

    public async Task<SecretDigits> ReadCodeBAsync(string readerName, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            using var response = await _http.GetAsync(new Uri($"/card/slots/{SlotOf(readerName)}/printed", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CardFaceUnavailableException($"the simulator has no printed card data ({(int)response.StatusCode})");
            }

            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CardFaceUnavailableException("the simulator's control socket does not answer", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CardFaceUnavailableException("the simulator did not answer in time", e);
        }

        try
        {
            return Extract(body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>The <c>codeB</c> digits of the printed-data JSON, straight from the UTF-8 bytes (no string).</summary>
    internal static SecretDigits Extract(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("codeB"u8) && reader.Read() && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    return reader.ValueSpan.Length == 14
                        ? SecretDigits.FromAscii(reader.ValueSpan)
                        : throw new CardFaceUnavailableException("the printed 照合番号B does not have 14 digits");
                }
            }
        }
        catch (JsonException e)
        {
            throw new CardFaceUnavailableException("the simulator's printed data is not JSON", e);
        }
        catch (ArgumentException e)
        {
            throw new CardFaceUnavailableException("the printed 照合番号B is not digits", e);
        }

        throw new CardFaceUnavailableException("the simulator's printed data has no 照合番号B");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary><c>CardFace:Source = ocr</c>: card-face OCR is not built yet, so the face path reports itself unavailable.</summary>
public sealed class UnavailableCardFaceReader : ICardFaceReader
{
    public Task<SecretDigits> ReadCodeBAsync(string readerName, CancellationToken cancellationToken) =>
        Task.FromException<SecretDigits>(new CardFaceUnavailableException("card-face OCR is not available on this reader"));
}
