using Reader.Arm64.Tests.Bench;

namespace Reader.Arm64.Tests;

/// <summary>The test assembly doubles as <c>./reader bench arm64</c> (<c>--bench</c>).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--bench")
        {
            return await Arm64Bench.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test, or with --bench (./reader bench arm64).");
        return 2;
    }
}
