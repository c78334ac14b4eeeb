using Reader.Device.Session.Seams;

namespace Reader.Device.Session;

/// <summary>
/// The patient's card connection shared by the session's jobs, one operation at a time (the card client is not
/// thread-safe, and the card serves one command at a time anyway). Opened by the first job.
/// </summary>
internal sealed class CardLine : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private ICardConnection? _connection;
    private bool _disposed;

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

    /// <summary>Runs <paramref name="operation"/> when the card is free.</summary>
    public async Task<T> RunAsync<T>(Func<ICardConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _connection ?? throw new InvalidOperationException("the card connection is not open");
            return await operation(connection, cancellationToken);
        }
        finally
        {
            _turn.Release();
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
