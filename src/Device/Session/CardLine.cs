using Reader.Device.Session.Seams;

namespace Reader.Device.Session;

/// <summary>
/// The patient's card connection shared by the session's jobs, one operation at a time (the card client is not
/// thread-safe, and the card serves one command at a time anyway). Opened by the first job.
/// </summary>
internal sealed class CardLine : IDisposable
{
    /// <summary>
    /// How long the session's own card work stays off the card after a command the terminal relayed. A terminal's
    /// card exchange (特定機関認証: SELECT, VERIFY, the signature) arrives one APDU per MQTT command; the session's own
    /// work (照合番号B, the photo) between two of them would select another AP under it and its signature would fail.
    /// </summary>
    public static readonly TimeSpan DefaultRelayHold = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TimeProvider _time;
    private readonly TimeSpan _relayHold;
    private DateTimeOffset _relayHeldUntil = DateTimeOffset.MinValue;
    private ICardConnection? _connection;
    private bool _disposed;

    public CardLine(TimeSpan? relayHold = null, TimeProvider? time = null)
    {
        _relayHold = relayHold ?? DefaultRelayHold;
        _time = time ?? TimeProvider.System;
    }

    public bool IsOpen => _connection is not null;

    /// <summary>
    /// Opens the connection on the calling thread, a session job's (PC/SC connect blocks briefly, as each transmit does):
    /// no hop to another thread between the card's placement and its first command.
    /// </summary>
    public async Task OpenAsync(ICardAccess access, string reader, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = access.Open(reader);
        try
        {
            await _turn.WaitAsync(cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        try
        {
            if (_disposed)
            {
                connection.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }

            _connection = connection;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Runs the session's own <paramref name="operation"/> when the card is free and no relayed exchange holds it.</summary>
    public Task<T> RunAsync<T>(Func<ICardConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(operation, relayed: false, cancellationToken);

    /// <summary>Runs a command the terminal relayed when the card is free; the session's own work then waits the relay hold.</summary>
    public Task<T> RunRelayedAsync<T>(Func<ICardConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(operation, relayed: true, cancellationToken);

    private async Task<T> RunAsync<T>(Func<ICardConnection, CancellationToken, Task<T>> operation, bool relayed, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _turn.WaitAsync(cancellationToken);
            var held = relayed ? TimeSpan.Zero : _relayHeldUntil - _time.GetUtcNow();
            if (held > TimeSpan.Zero)
            {
                // The terminal's exchange goes on: let its next command have the card, and look again after the hold.
                _turn.Release();
                await Task.Delay(held, _time, cancellationToken);
                continue;
            }

            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var connection = _connection ?? throw new InvalidOperationException("the card connection is not open");
                return await operation(connection, cancellationToken);
            }
            finally
            {
                if (relayed)
                {
                    _relayHeldUntil = _time.GetUtcNow() + _relayHold;
                }

                _turn.Release();
            }
        }
    }

    /// <summary>Set when the card has left the reader: closing then leaves the slot alone (see <see cref="ICardConnection.CloseLeavingSlot"/>).</summary>
    public bool CardGone { get; set; }

    /// <summary>Unpowers the card (it forgets verified PINs) once the running operation is over; a card that left is only let go.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // Jobs are stopped before this; take the turn briefly so an operation in flight is not cut in half.
        var gotTurn = _turn.Wait(TimeSpan.FromSeconds(5));
        _disposed = true;
        if (CardGone)
        {
            _connection?.CloseLeavingSlot();
        }
        else
        {
            _connection?.Dispose();
        }

        _connection = null;
        if (gotTurn)
        {
            _turn.Release();
        }
    }
}
