using System.Security.Cryptography;
using System.Text;
using Reader.Protocol.Outbox;

namespace Reader.Protocol.Tests.Unit;

/// <summary>The on-reader outbox: encrypted at rest, idempotent, crash-safe, expiring.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_result_is_encrypted_at_rest_owner_only_and_survives_a_restart()
    {
        byte[] envelope = Encoding.UTF8.GetBytes("{\"body\":{\"sessionId\":\"sess-00000001\",\"certificate\":\"MIIB-very-recognisable\"}}");
        var outbox = new ResultOutbox(_directory, _key, _time);
        outbox.Add("sess-00000001", _time.GetUtcNow().AddMinutes(10), envelope, out bool added);
        Assert.True(added);

        string file = Assert.Single(Directory.GetFiles(_directory));
        byte[] stored = File.ReadAllBytes(file);
        Assert.DoesNotContain("very-recognisable", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var reopened = new ResultOutbox(_directory, _key, _time);
        OutboxEntry entry = Assert.Single(reopened.Pending());
        Assert.Equal(envelope, entry.Envelope.ToArray());
    }

    [Fact]
    public void Adding_the_same_session_twice_keeps_the_first_and_after_acknowledgement_stays_a_no_op()
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        outbox.Add("sess-00000002", _time.GetUtcNow().AddMinutes(10), "first"u8.ToArray(), out bool first);
        OutboxEntry again = outbox.Add("sess-00000002", _time.GetUtcNow().AddMinutes(10), "second"u8.ToArray(), out bool second);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal("first"u8.ToArray(), again.Envelope.ToArray());

        Assert.True(outbox.Remove("sess-00000002"));
        outbox.Add("sess-00000002", _time.GetUtcNow().AddMinutes(10), "third"u8.ToArray(), out bool third);
        Assert.False(third);
        Assert.Empty(outbox.Pending());
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void An_expired_result_is_deleted_not_returned()
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        outbox.Add("sess-00000003", _time.GetUtcNow().AddMinutes(10), "x"u8.ToArray(), out _);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(outbox.Pending());
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_file_that_does_not_decrypt_is_set_aside_and_a_torn_temporary_is_dropped()
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        outbox.Add("sess-00000004", _time.GetUtcNow().AddMinutes(10), "x"u8.ToArray(), out _);
        outbox.Add("sess-00000005", _time.GetUtcNow().AddMinutes(10), "y"u8.ToArray(), out _);
        string victim = Path.Combine(_directory, "sess-00000004.result");
        byte[] bytes = File.ReadAllBytes(victim);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(victim, bytes);
        File.WriteAllBytes(Path.Combine(_directory, ".sess-00000006.result.1.abc.tmp"), [1, 2, 3]);

        var reopened = new ResultOutbox(_directory, _key, _time);
        Assert.Equal("sess-00000005", Assert.Single(reopened.Pending()).SessionId);
        Assert.True(File.Exists(victim + ".corrupt"));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Files_cannot_be_swapped_between_sessions()
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        outbox.Add("sess-00000007", _time.GetUtcNow().AddMinutes(10), "x"u8.ToArray(), out _);
        File.Move(Path.Combine(_directory, "sess-00000007.result"), Path.Combine(_directory, "sess-00000008.result"));

        var reopened = new ResultOutbox(_directory, _key, _time);
        Assert.Empty(reopened.Pending());
        Assert.True(File.Exists(Path.Combine(_directory, "sess-00000008.result.corrupt")));
    }

    [Fact]
    public void A_result_acknowledged_while_it_was_being_persisted_leaves_nothing_behind()
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        OutboxEntry entry = outbox.Reserve("sess-00000009", _time.GetUtcNow().AddMinutes(10), "x"u8.ToArray(), out bool added);
        Assert.True(added);
        Assert.True(outbox.Remove("sess-00000009"));
        outbox.Persist(entry);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("../../etc/passwd")]
    [InlineData("sess 0000001")]
    public void Session_ids_that_are_not_file_safe_are_refused(string sessionId)
    {
        var outbox = new ResultOutbox(_directory, _key, _time);
        Assert.Throws<ArgumentException>(() => outbox.Add(sessionId, _time.GetUtcNow().AddMinutes(1), "x"u8.ToArray(), out _));
    }
}
