using Reader.Kiosk.Tests.Bench;

namespace Reader.Kiosk.Tests;

/// <summary>The test assembly doubles as the kiosk benchmark: <c>dotnet Reader.Kiosk.Tests.dll --bench</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--bench")
        {
            return await KioskBench.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test, or with --bench for ./reader bench kiosk.");
        return 2;
    }
}
