using Reader.Protocol.Pairing;

namespace Reader.Protocol.Tests.Unit;

/// <summary>The back-off across pairing codes, its cap, and its memory on disk (fails closed when unreadable).</summary>
public sealed class PairingThrottleTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("pairing-throttle-").FullName;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void The_pause_doubles_with_every_wrong_code_up_to_the_maximum_and_the_cap_pauses_pairing()
    {
        var options = new PairingThrottleOptions();
        Assert.Equal(
            new[] { 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600 }.Select(s => TimeSpan.FromSeconds(s)),
            Enumerable.Range(0, 13).Select(options.BackOffAfter));

        var throttle = new PairingThrottle(_data, options, _time);
        for (int i = 1; i <= 10; i++)
        {
            Assert.False(throttle.IsPaused);
            throttle.RecordWrongCode();
            Assert.Equal(options.BackOffAfter(i), throttle.Wait());
        }

        Assert.True(throttle.IsPaused);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(412), throttle.Wait());
    }

    [Fact]
    public void The_count_survives_a_restart_and_only_a_pairing_or_someone_at_the_reader_clears_it()
    {
        var first = new PairingThrottle(_data, time: _time);
        first.RecordWrongCode();
        first.RecordWrongCode();
        first.RecordWrongCode();

        var afterRestart = new PairingThrottle(_data, time: _time);
        Assert.Equal(3, afterRestart.WrongCodes);
        Assert.Equal(TimeSpan.FromSeconds(4), afterRestart.Wait());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data, "identity", "pairing-throttle.json")));

        afterRestart.Resume();
        Assert.Equal(0, new PairingThrottle(_data, time: _time).WrongCodes);
        afterRestart.RecordWrongCode();
        afterRestart.Clear();
        Assert.Equal(TimeSpan.Zero, new PairingThrottle(_data, time: _time).Wait());
    }

    [Fact]
    public void A_clock_set_back_does_not_shorten_the_pause()
    {
        var throttle = new PairingThrottle(_data, time: _time);
        for (int i = 0; i < 4; i++)
        {
            throttle.RecordWrongCode();
        }

        _time.Advance(TimeSpan.FromDays(-1));
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.Wait());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"wrongCodes\":-1,\"lastWrongAt\":\"2026-04-01T09:00:00+00:00\"}")]
    [InlineData("null")]
    [InlineData("[]")]
    public void An_unreadable_memory_of_wrong_codes_pauses_pairing(string content)
    {
        Directory.CreateDirectory(Path.Combine(_data, "identity"));
        File.WriteAllText(Path.Combine(_data, "identity", "pairing-throttle.json"), content);
        var throttle = new PairingThrottle(_data, time: _time);
        Assert.True(throttle.IsPaused);
        throttle.Resume();
        Assert.False(throttle.IsPaused);
    }
}
