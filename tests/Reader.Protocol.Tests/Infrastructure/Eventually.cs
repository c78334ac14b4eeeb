namespace Reader.Protocol.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; fails with <paramref name="what"/> after the time-out.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<T> NextAsync<T>(this System.Threading.Channels.ChannelReader<T> reader, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            throw;
        }
    }
}
