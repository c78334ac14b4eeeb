using System.Globalization;
using System.Text;
using Reader.Shared.Storage;

namespace Reader.Protocol.TerminalSide;

/// <summary>
/// The terminal's memory of which results it already processed (reader id + session id), so a
/// result re-sent by the outbox is acknowledged again but handed to the clinic systems only once,
/// also across restarts. Append-only with fsync; entries are forgotten a day after the result's
/// expiry (after that the result itself would be refused as expired).
/// </summary>
public sealed class DeliveryJournal : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private readonly string _path;
    private readonly Dictionary<string, DateTimeOffset> _delivered = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private FileStream _append;

    public DeliveryJournal(string dataDirectory, TimeProvider? time = null)
    {
        SecureFile.EnsurePrivateDirectory(dataDirectory);
        _path = Path.Combine(dataDirectory, "delivered.log");
        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        if (File.Exists(_path))
        {
            foreach (string line in File.ReadLines(_path))
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
                {
                    DateTimeOffset expires = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    if (expires + Retention > now)
                    {
                        _delivered[parts[0]] = expires;
                    }
                }
            }
        }

        // Compact on start: only what is still worth remembering.
        var compact = new StringBuilder();
        foreach ((string key, DateTimeOffset expires) in _delivered)
        {
            compact.Append(CultureInfo.InvariantCulture, $"{key} {expires.ToUnixTimeMilliseconds()}\n");
        }

        SecureFile.WriteAllText(_path, compact.ToString());
        _append = OpenAppend();
    }

    public static string KeyOf(string readerId, string sessionId) => readerId + "/" + sessionId;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _delivered.Count;
            }
        }
    }

    public bool Contains(string readerId, string sessionId)
    {
        lock (_gate)
        {
            return _delivered.ContainsKey(KeyOf(readerId, sessionId));
        }
    }

    /// <summary>Records a delivery durably; false when it was already recorded.</summary>
    public bool Add(string readerId, string sessionId, DateTimeOffset expiresAt) =>
        AddRange([(readerId, sessionId, expiresAt)]) == 1;

    /// <summary>Records several deliveries with one fsync (group commit); returns how many were new.</summary>
    public int AddRange(IReadOnlyList<(string ReaderId, string SessionId, DateTimeOffset ExpiresAt)> deliveries)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        lock (_gate)
        {
            var lines = new StringBuilder();
            int added = 0;
            foreach ((string readerId, string sessionId, DateTimeOffset expiresAt) in deliveries)
            {
                string key = KeyOf(readerId, sessionId);
                if (_delivered.TryAdd(key, expiresAt))
                {
                    lines.Append(CultureInfo.InvariantCulture, $"{key} {expiresAt.ToUnixTimeMilliseconds()}\n");
                    added++;
                }
            }

            if (added > 0)
            {
                _append.Write(Encoding.UTF8.GetBytes(lines.ToString()));
                _append.Flush(flushToDisk: true);
            }

            return added;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _append.Dispose();
        }
    }

    private FileStream OpenAppend() => new(_path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.Read,
        UnixCreateMode = SecureFile.OwnerOnly,
    });
}
