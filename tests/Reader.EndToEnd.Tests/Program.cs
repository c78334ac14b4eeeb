namespace Reader.EndToEnd.Tests;

/// <summary>
/// The test assembly doubles as <c>./reader bench session</c> (<c>--bench session [--runs N]</c>): the in-process
/// reader service on the real pcscd / vpcd / broker / terminal with an instant patient.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--bench", "session", ..])
        {
            return await Bench.SessionBench.RunAsync(args[2..]);
        }

        if (args is ["--bench", "pcsc", ..])
        {
            return await Bench.PcscPathBench.RunAsync(args[2..]);
        }

        await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test, or with --bench session [--runs N] (./reader bench session) or --bench pcsc [--rounds N].");
        return 2;
    }
}
