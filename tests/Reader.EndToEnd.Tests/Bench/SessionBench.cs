namespace Reader.EndToEnd.Tests.Bench;

/// <summary>./reader bench session (filled in once the in-process ReaderService lands).</summary>
internal static class SessionBench
{
    public static Task<int> RunAsync(string[] args)
    {
        _ = args;
        return Task.FromResult(2);
    }
}
