using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;
using Reader.Card.Link;
using Reader.HardwareSim.Card;

namespace Reader.HardwareSim.Vpcd;

/// <summary>
/// Puts a <see cref="VirtualMyNumberCard"/> into a vpcd slot: connects to vpcd's port (35963 + slot), answers
/// its 2-byte-length framed messages (1-byte control: 00 power off, 01 power on, 02 reset, 04 get ATR;
/// anything else is a C-APDU) and keeps reconnecting while inserted, so the card comes back by itself after a
/// pcscd restart. Removing the card closes the socket.
/// </summary>
public sealed class VpcdCardLink : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly VirtualMyNumberCard _card;
    private readonly SlotBehaviour _behaviour;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _apdusThisCycle;
    private readonly List<CardExchangeTiming> _exchanges = [];

    public VpcdCardLink(string host, int port, VirtualMyNumberCard card, SlotBehaviour? behaviour = null, ILogger? logger = null)
    {
        _host = host;
        _port = port;
        _card = card;
        _behaviour = behaviour ?? new SlotBehaviour();
        _logger = logger ?? NullLogger.Instance;
        Link = _behaviour.ReaderMaxKbit is { } kbit ? card.Identity.Spec.Link.Negotiate(kbit) : null;
        _loop = Task.Run(RunAsync);
    }

    public VirtualMyNumberCard Card => _card;

    /// <summary>Which insertion this link is (set by <see cref="VirtualReaders"/>; the card-face camera draws a new placement per insertion).</summary>
    public long Insertion { get; init; }

    public SlotBehaviour Behaviour => _behaviour;

    /// <summary>The radio link the slot's reader set up with the card (bit rate, frame sizes, FWT), or null when unpaced.</summary>
    public ContactlessLink? Link { get; }

    /// <summary>
    /// When each exchange of the current power cycle reached the card and when its answer left (Stopwatch ticks): the
    /// bench tells the card's time from the host's time between exchanges with it.
    /// </summary>
    public IReadOnlyList<CardExchangeTiming> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>True while vpcd is connected to this card.</summary>
    public bool Connected { get; private set; }

    /// <summary>True once the card was pulled out mid-read; it stays out until removed and inserted again.</summary>
    public bool Pulled { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested && !Pulled)
        {
            try
            {
                using var client = new TcpClient { NoDelay = true };
                await client.ConnectAsync(_host, _port, token);
                Connected = true;
                _logger.LogDebug("virtual card {Card} connected to vpcd {Port}", _card.Identity.Id, _port);
                await ServeAsync(client.Client, client.GetStream(), token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is SocketException or IOException or EndOfStreamException)
            {
                _logger.LogDebug("vpcd {Port} not reachable ({Reason}); retrying", _port, e.Message);
            }
            finally
            {
                Connected = false;
                _card.PowerOff();
            }

            if (!Pulled)
            {
                try
                {
                    await Task.Delay(200, token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task ServeAsync(Socket socket, NetworkStream stream, CancellationToken token)
    {
        var header = new byte[2];
        while (!token.IsCancellationRequested)
        {
            // vpcd writes the length and the payload in two send() calls without TCP_NODELAY: acknowledging at once
            // (TCP_QUICKACK, re-armed per read) avoids a 40 ms delayed-ACK stall on every message.
            QuickAck(socket);
            await stream.ReadExactlyAsync(header, token);
            QuickAck(socket);
            var length = BinaryPrimitives.ReadUInt16BigEndian(header);
            var message = new byte[length];
            await stream.ReadExactlyAsync(message, token);
            if (length == 1)
            {
                switch (message[0])
                {
                    case 0x00:
                        _card.PowerOff();
                        break;
                    case 0x01:
                        _card.PowerOn();
                        NewCycle();
                        break;
                    case 0x02:
                        _card.WarmReset();
                        NewCycle();
                        break;
                    case 0x04:
                        await SendAsync(stream, _card.Atr, token);
                        break;
                }

                continue;
            }

            _apdusThisCycle++;
            if (_behaviour.PullAtApdu is { } pullAt && _apdusThisCycle >= pullAt)
            {
                // The patient took the card away: vpcd sees the connection drop before any answer.
                Pulled = true;
                _logger.LogDebug("virtual card {Card} pulled out at APDU {N}", _card.Identity.Id, _apdusThisCycle);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var response = _card.Process(message);
            if (Link is { } link)
            {
                // The card's answer leaves the radio when the modelled exchange ends, whatever our own work took.
                var rsa = message.Length > 1 && message[1] == 0x2A;
                await WaitUntilAsync(started, link.ExchangeMs(message.Length, response.Length, rsa), token);
            }

            await SendAsync(stream, response, token);
            lock (_exchanges)
            {
                _exchanges.Add(new CardExchangeTiming(message.Length > 1 ? message[1] : (byte)0, started, Stopwatch.GetTimestamp(),
                    Link?.ExchangeMs(message.Length, response.Length, message.Length > 1 && message[1] == 0x2A) ?? 0));
            }
        }
    }

    private void NewCycle()
    {
        _apdusThisCycle = 0;
        lock (_exchanges)
        {
            _exchanges.Clear();
        }
    }

    /// <summary>
    /// Waits until <paramref name="milliseconds"/> after <paramref name="started"/>: a timer for the bulk, then a yield
    /// loop for the last stretch, so a session of many short exchanges is not stretched by timer granularity.
    /// </summary>
    private static async Task WaitUntilAsync(long started, double milliseconds, CancellationToken token)
    {
        var deadline = started + (long)(milliseconds * Stopwatch.Frequency / 1000.0);
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds;
        if (left > 2)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(left - 1.5), token);
        }

        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            Thread.Yield();
        }
    }

    private static void QuickAck(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 12 /* TCP_QUICKACK */, BitConverter.GetBytes(1));
        }
    }

    private static async Task SendAsync(NetworkStream stream, byte[] payload, CancellationToken token)
    {
        var frame = new byte[2 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame, 2);
        await stream.WriteAsync(frame, token);
    }
}

/// <summary>One exchange as the link saw it: the command arrived at <see cref="Received"/>, the answer left at <see cref="Answered"/> (Stopwatch ticks); <see cref="ModelMs"/> is the link model's time for it (0 unpaced).</summary>
public readonly record struct CardExchangeTiming(byte Ins, long Received, long Answered, double ModelMs)
{
    public double HeldMs => (Answered - Received) * 1000.0 / Stopwatch.Frequency;
}
