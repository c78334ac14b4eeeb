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
        // A thread of its own, as a card has its own clock: it wakes on vpcd's bytes and on its modelled deadline,
        // never behind the thread pool's queue (which the service under test fills with OCR and face work).
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    private void Run()
    {
        // A real card keeps its own time whatever the host's load: the card's thread asks the kernel to run it ahead of
        // the host's busy threads (it sleeps almost all the time). Without the right to (an unprivileged runner) it runs
        // at normal priority and whatever lateness remains is measured per exchange (CardExchangeTiming.LateMs).
        Interop.Libc.ThreadScheduling.TryRaiseCurrentThread(CardThreadNice);
        var token = _stop.Token;
        while (!token.IsCancellationRequested && !Pulled)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }; // dual mode: "localhost" or an IPv4 address
                using (token.Register(() => socket.Dispose()))
                {
                    socket.Connect(_host, _port);
                    Connected = true;
                    _logger.LogDebug("virtual card {Card} connected to vpcd {Port}", _card.Identity.Id, _port);
                    Serve(socket, token);
                }
            }
            catch (Exception e) when (token.IsCancellationRequested && e is SocketException or IOException or EndOfStreamException or ObjectDisposedException or OperationCanceledException)
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

            if (!Pulled && token.WaitHandle.WaitOne(200))
            {
                break;
            }
        }
    }

    private void Serve(Socket socket, CancellationToken token)
    {
        var header = new byte[2];
        while (!token.IsCancellationRequested)
        {
            // vpcd writes the length and the payload in two send() calls without TCP_NODELAY: acknowledging at once
            // (TCP_QUICKACK, re-armed per read) avoids a 40 ms delayed-ACK stall on every message.
            QuickAck(socket);
            ReadExactly(socket, header);
            QuickAck(socket);
            var length = BinaryPrimitives.ReadUInt16BigEndian(header);
            var message = new byte[length];
            ReadExactly(socket, message);
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
                        Send(socket, _card.Atr);
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
            var rsa = message.Length > 1 && message[1] == 0x2A;
            var modelMs = Link?.ExchangeMs(message.Length, response.Length, rsa) ?? 0;

            // Deadline-based: the answer is due at the command's arrival plus the modelled exchange, whatever the
            // virtual card's own work took; lateness of one exchange is never carried into the next one's deadline.
            var exchange = new CardExchangeTiming(message.Length > 1 ? message[1] : (byte)0, started, 0, modelMs);
            if (Link is not null)
            {
                WaitUntil(exchange.Due, token);
            }

            Send(socket, response);
            lock (_exchanges)
            {
                _exchanges.Add(exchange with { Answered = Stopwatch.GetTimestamp() });
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
    /// Blocks until <paramref name="deadline"/> (Stopwatch ticks): a sleep for the bulk, then a spin for the last
    /// <see cref="SpinMs"/> (a sleep can wake a scheduler tick late), so the card answers at the modelled time.
    /// </summary>
    private static void WaitUntil(long deadline, CancellationToken token)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds;
        if (left > SpinMs && token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(left - SpinMs)))
        {
            token.ThrowIfCancellationRequested();
        }

        var spin = new SpinWait();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The last stretch of a modelled exchange spent spinning rather than sleeping.</summary>
    private const double SpinMs = 1.0;

    /// <summary>The nice value the card's thread asks for (0 is the default; lower runs first).</summary>
    private const int CardThreadNice = -10;

    private static void ReadExactly(Socket socket, Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            var read = socket.Receive(into);
            if (read == 0)
            {
                throw new EndOfStreamException("vpcd closed the connection");
            }

            into = into[read..];
        }
    }

    private static void QuickAck(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 12 /* TCP_QUICKACK */, BitConverter.GetBytes(1));
        }
    }

    private static void Send(Socket socket, byte[] payload)
    {
        var frame = new byte[2 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame, 2);
        socket.Send(frame);
    }
}

/// <summary>
/// One exchange as the link saw it: the command arrived at <see cref="Received"/>, the answer left at
/// <see cref="Answered"/> (Stopwatch ticks); <see cref="ModelMs"/> is the link model's time for it (0 unpaced) and
/// <see cref="Due"/> when the model says the answer leaves (<see cref="Received"/> + <see cref="ModelMs"/>).
/// </summary>
public readonly record struct CardExchangeTiming(byte Ins, long Received, long Answered, double ModelMs)
{
    /// <summary>When the modelled answer was due (Stopwatch ticks).</summary>
    public long Due => Received + (long)(ModelMs * Stopwatch.Frequency / 1000.0);

    public double HeldMs => (Answered - Received) * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// How much later than its model the simulator answered (its thread woke late, or its own work took longer than the
    /// modelled exchange): the stand-in card's lateness, not the host's. 0 when on time.
    /// </summary>
    public double LateMs => Math.Max(0, Answered - Due) * 1000.0 / Stopwatch.Frequency;
}
