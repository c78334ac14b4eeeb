using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Shared.Storage;

namespace Reader.Protocol.Outbox;

/// <summary>A signed result waiting for the terminal's acknowledgement.</summary>
public sealed record OutboxEntry(string SessionId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, ReadOnlyMemory<byte> Envelope)
{
    private readonly TaskCompletionSource acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the terminal acknowledged it and it left the outbox.</summary>
    internal Task Acknowledged => acknowledged.Task;

    /// <summary>When it was last handed to the broker (in memory only; null = not yet this run).</summary>
    public DateTimeOffset? LastSentAt { get; set; }

    public int SendCount { get; set; }

    internal void MarkAcknowledged() => acknowledged.TrySetResult();
}

/// <summary>
/// The on-reader outbox: one file per session id, AES-256-GCM encrypted with the device's outbox key
/// (authenticated with the session id, so files cannot be swapped), written temp → fsync → rename →
/// fsync(folder). Adding is idempotent by session id. Entries leave on acknowledgement or at expiry
/// (deleted, never sent late). A file that fails to decrypt is set aside as *.corrupt, not deleted.
/// </summary>
public sealed partial class ResultOutbox
{
    private const string Extension = ".result";
    private static readonly byte[] Magic = "CROB1"u8.ToArray();
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly string _directory;
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OutboxEntry> _entries = new(StringComparer.Ordinal);

    // Acknowledged session ids, so a re-submit stays a no-op on this side too (in memory; the terminal also de-duplicates).
    private readonly Dictionary<string, DateTimeOffset> _acknowledged = new(StringComparer.Ordinal);
    private long _expired;

    public ResultOutbox(string directory, byte[] key, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException("the outbox key is 256 bits", nameof(key));
        }

        _directory = Path.GetFullPath(directory);
        _key = key;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        SecureFile.EnsurePrivateDirectory(_directory);
        Load();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$")]
    public static partial Regex SessionIdPattern();

    /// <summary>Results found on disk when the outbox opened (left by a stop or a crash; they are sent again).</summary>
    public int LoadedAtStart { get; private set; }

    /// <summary>Files set aside as *.corrupt when the outbox opened.</summary>
    public int CorruptAtStart { get; private set; }

    /// <summary>Results deleted undelivered because they expired.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Stores a result durably (<see cref="Reserve"/> then <see cref="Persist"/>). Returns the existing
    /// entry (unchanged) when the session id is already in the outbox, so a retried submit never
    /// creates a second result.
    /// </summary>
    public OutboxEntry Add(string sessionId, DateTimeOffset expiresAt, ReadOnlyMemory<byte> envelope, out bool added)
    {
        OutboxEntry entry = Reserve(sessionId, expiresAt, envelope, out added);
        if (added)
        {
            Persist(entry);
        }

        return entry;
    }

    /// <summary>True when the terminal acknowledged this session id (remembered until the result would have expired).</summary>
    public bool WasAcknowledged(string sessionId, out DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            return _acknowledged.TryGetValue(sessionId, out expiresAt);
        }
    }

    /// <summary>
    /// Takes the result into the outbox in memory only (idempotent by session id), so it can be sent
    /// while <see cref="Persist"/> makes it durable.
    /// </summary>
    public OutboxEntry Reserve(string sessionId, DateTimeOffset expiresAt, ReadOnlyMemory<byte> envelope, out bool added)
    {
        if (!SessionIdPattern().IsMatch(sessionId))
        {
            throw new ArgumentException("session ids are 8-64 characters of A-Z a-z 0-9 . _ -", nameof(sessionId));
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(sessionId, out OutboxEntry? existing))
            {
                added = false;
                return existing;
            }

            if (_acknowledged.TryGetValue(sessionId, out DateTimeOffset acknowledgedExpiry))
            {
                added = false;
                return new OutboxEntry(sessionId, _time.GetUtcNow(), acknowledgedExpiry, ReadOnlyMemory<byte>.Empty);
            }

            var entry = new OutboxEntry(sessionId, _time.GetUtcNow(), expiresAt, envelope.ToArray());
            _entries[sessionId] = entry;
            added = true;
            return entry;
        }
    }

    /// <summary>
    /// Writes a reserved entry to disk (encrypted, temp → fsync → rename → fsync folder). When it was
    /// acknowledged meanwhile, nothing is left behind.
    /// </summary>
    public void Persist(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string path = PathOf(entry.SessionId);
        string temporary = SecureFile.WriteTemporary(path, Seal(entry));
        lock (_gate)
        {
            if (_entries.TryGetValue(entry.SessionId, out OutboxEntry? current) && ReferenceEquals(current, entry))
            {
                SecureFile.Commit(temporary, path);
                return;
            }
        }

        SecureFile.Discard(temporary);
    }

    public bool TryGet(string sessionId, out OutboxEntry entry)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(sessionId, out entry!);
        }
    }

    /// <summary>Removes an acknowledged result (and remembers its id); false when it was not (or no longer) there.</summary>
    public bool Remove(string sessionId)
    {
        lock (_gate)
        {
            if (!_entries.Remove(sessionId, out OutboxEntry? removed))
            {
                return false;
            }

            _acknowledged[sessionId] = removed.ExpiresAt;
            DeleteFile(sessionId);
            removed.MarkAcknowledged();
            return true;
        }
    }

    /// <summary>Deletes what expired and returns what is still to be delivered, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> Pending()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (string forgotten in _acknowledged.Where(a => a.Value <= now).Select(a => a.Key).ToList())
            {
                _acknowledged.Remove(forgotten);
            }

            foreach (OutboxEntry expired in _entries.Values.Where(e => e.ExpiresAt <= now).ToList())
            {
                _entries.Remove(expired.SessionId);
                DeleteFile(expired.SessionId);
                Interlocked.Increment(ref _expired);
                _logger.LogWarning("Outbox: result {SessionId} expired undelivered and was deleted (code outbox-expired)", expired.SessionId);
            }

            return _entries.Values.OrderBy(e => e.CreatedAt).ToList();
        }
    }

    private string PathOf(string sessionId) => Path.Combine(_directory, sessionId + Extension);

    /// <summary>
    /// Deleting needs no folder fsync: if a crash undoes it, the entry comes back and is either
    /// acknowledged again as a duplicate or deleted again as expired — never delivered twice or late.
    /// </summary>
    private void DeleteFile(string sessionId)
    {
        string path = PathOf(sessionId);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private void Load()
    {
        foreach (string leftover in Directory.EnumerateFiles(_directory, ".*.tmp"))
        {
            // A write that never reached its rename: the submit it belonged to did not complete.
            File.Delete(leftover);
        }

        foreach (string path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            string sessionId = Path.GetFileNameWithoutExtension(path);
            try
            {
                OutboxEntry entry = Open(sessionId, File.ReadAllBytes(path));
                _entries[sessionId] = entry;
                LoadedAtStart++;
            }
            catch (Exception e) when (e is CryptographicException or InvalidDataException)
            {
                SecureFile.Rename(path, path + ".corrupt");
                CorruptAtStart++;
                _logger.LogError("Outbox: {File} cannot be decrypted and was set aside (code outbox-corrupt)", Path.GetFileName(path));
            }
        }
    }

    // File: magic | nonce | tag | ciphertext of (created unix ms | expires unix ms | envelope).
    private byte[] Seal(OutboxEntry entry)
    {
        byte[] plain = new byte[16 + entry.Envelope.Length];
        BinaryPrimitives.WriteInt64BigEndian(plain, entry.CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(plain.AsSpan(8), entry.ExpiresAt.ToUnixTimeMilliseconds());
        entry.Envelope.Span.CopyTo(plain.AsSpan(16));

        byte[] file = new byte[Magic.Length + NonceSize + TagSize + plain.Length];
        Span<byte> nonce = file.AsSpan(Magic.Length, NonceSize);
        Span<byte> tag = file.AsSpan(Magic.Length + NonceSize, TagSize);
        Span<byte> cipher = file.AsSpan(Magic.Length + NonceSize + TagSize);
        Magic.CopyTo(file, 0);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(entry.SessionId));
        CryptographicOperations.ZeroMemory(plain);
        return file;
    }

    private OutboxEntry Open(string sessionId, byte[] file)
    {
        if (file.Length < Magic.Length + NonceSize + TagSize + 16 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not an outbox file");
        }

        ReadOnlySpan<byte> nonce = file.AsSpan(Magic.Length, NonceSize);
        ReadOnlySpan<byte> tag = file.AsSpan(Magic.Length + NonceSize, TagSize);
        ReadOnlySpan<byte> cipher = file.AsSpan(Magic.Length + NonceSize + TagSize);
        byte[] plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(nonce, cipher, tag, plain, AssociatedData(sessionId));
        return new OutboxEntry(
            sessionId,
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(plain)),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(8))),
            plain.AsSpan(16).ToArray());
    }

    private static byte[] AssociatedData(string sessionId) => Encoding.UTF8.GetBytes("cr-outbox-v1:" + sessionId);
}
