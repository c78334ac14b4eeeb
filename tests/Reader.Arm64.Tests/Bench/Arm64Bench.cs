using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Reader.Arm64.Tests.Bench;

/// <summary>
/// <c>./reader bench arm64</c>: the same decision (the golden pair: both faces analysed, embedded and compared) timed
/// inside <c>reader-vision compare --repeat</c> of the x64 build and of the arm64 build under qemu-user, plus the cosine of
/// the arm64 embeddings to the x64 ones. A sanity figure: emulation is many times slower than the board.
/// Last line: one JSON object.
/// </summary>
internal static class Arm64Bench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = 5;
        int foreignElves = -1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--elf-non-aarch64" when i + 1 < args.Length:
                    foreignElves = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    await Console.Error.WriteLineAsync("usage: --bench [--runs N] [--elf-non-aarch64 N]");
                    return 2;
            }
        }

        if ((Emulator.Unavailable ?? GoldenPair.Unavailable) is { } reason)
        {
            await Console.Error.WriteLineAsync("bench arm64: " + reason);
            return 1;
        }

        using var x64Pair = GoldenPair.OnThisMachine();
        string[] compare = ["compare", GoldenPair.A, GoldenPair.B, "--models", GoldenPair.Models, "--repeat", runs.ToString(CultureInfo.InvariantCulture)];

        var x64 = await RunX64Async([VisionDll, .. compare]);
        var arm64 = await Emulator.RunAsync(Emulator.Vision, [.. compare, "--reference-embeddings", "-"], stdin: x64Pair.PipedEmbeddings(), timeout: TimeSpan.FromMinutes(20));
        if (x64.ExitCode != 0 || arm64.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"x64: {x64}\narm64: {arm64}");
            return 1;
        }

        using var x64Json = JsonDocument.Parse(LastLine(x64.Stdout));
        using var arm64Json = JsonDocument.Parse(LastLine(arm64.Stdout));
        double x64Ms = x64Json.RootElement.GetProperty("decision_ms").GetDouble();
        double arm64Ms = arm64Json.RootElement.GetProperty("decision_ms").GetDouble();
        double cosine = arm64Json.RootElement.GetProperty("cosine_vs_reference").EnumerateArray().Min(c => c.GetDouble());
        bool sameDecision = x64Json.RootElement.GetProperty("decision").GetString() == arm64Json.RootElement.GetProperty("decision").GetString();

        Console.WriteLine($"golden pair decision ({runs} runs, median): x64 {x64Ms:F1} ms, arm64 under qemu-user {arm64Ms:F1} ms ({arm64Ms / x64Ms:F1}x; emulation, not the board)");
        Console.WriteLine($"arm64 embeddings against x64: cosine >= {cosine:F6}; same decision: {sameDecision}; non-aarch64 ELF files in the arm64 bundle: {foreignElves}");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "arm64",
            ["runs"] = runs,
            ["cosine_vs_x64"] = Math.Round(cosine, 6),
            ["same_decision"] = sameDecision,
            ["arm64_emulated_ms"] = Math.Round(arm64Ms, 1),
            ["x64_ms"] = Math.Round(x64Ms, 1),
            ["emulated_ratio"] = Math.Round(arm64Ms / x64Ms, 2),
            ["elf_non_aarch64"] = foreignElves,
        }));
        return sameDecision && cosine >= 0.999 && foreignElves == 0 ? 0 : 1;
    }

    /// <summary>The x64 reader-vision, built beside this assembly.</summary>
    private static string VisionDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            string path = Path.Combine(here.Parent!.Parent!.FullName, "Reader.Vision.Bench", here.Name, "reader-vision.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("reader-vision is not built", path);
        }
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

    private static async Task<Run> RunX64Async(IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
