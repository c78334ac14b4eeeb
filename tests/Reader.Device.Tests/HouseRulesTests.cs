using System.Text.RegularExpressions;
using Reader.Device.Tests.Service;

namespace Reader.Device.Tests;

/// <summary>
/// The house rules of src/ that a reviewer would otherwise have to remember: the product knows no simulator, takes
/// no bench or test code into its assemblies, and its Device namespaces follow its folders.
/// </summary>
public sealed partial class HouseRulesTests
{
    /// <summary>
    /// What only the simulator has: its standard ports, its programs (reader-sim, reader-sim-reader and the verbs the
    /// reference terminal once carried for it), its camera routes and image playback, its virtual card driver.
    /// </summary>
    private static readonly string[] SimulatorMarks =
    [
        "35963", "35964", "35970", "reader-sim", "HardwareSim", "vpcd", "Virtual PCD", "SimulatedGpioChip",
        "/camera/stream.mjpeg", "/cardface/stream.mjpeg", "control.sock",
        "scenario:", "ScenarioCameraSource", "simulate-reader", "reader-pair", "SimulatedReader", "bench-pairing",
    ];

    /// <summary>Folder names that say bench, evaluation or simulation code: they belong in bench/ or hardware-sim/.</summary>
    private static readonly string[] NotProductFolders = ["Bench", "Benchmarks", "Evaluation", "Scenario", "Simulation", "Simulator", "Sim"];

    /// <summary>The files that make the product (documentation may say how tests run it on the simulator).</summary>
    private static readonly string[] ProductExtensions = [".cs", ".csproj", ".props", ".targets", ".json", ".js", ".html", ".css"];

    private static string Src => Path.Combine(ServicePaths.RepositoryRoot, "src");

    [Fact]
    public void Nothing_that_builds_the_product_names_the_simulator()
    {
        var hits = ProductFiles(Src)
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .SelectMany(l => SimulatorMarks.Where(mark => l.line.Contains(mark, StringComparison.OrdinalIgnoreCase))
                .Select(mark => $"{Path.GetRelativePath(ServicePaths.RepositoryRoot, l.file)}:{l.index + 1}: '{mark}'"))
            .ToList();
        Assert.True(hits.Count == 0, "src/ names the simulator (give it through configuration instead):\n" + string.Join('\n', hits));
    }

    [Fact]
    public void No_folder_in_src_holds_bench_evaluation_or_simulation_code()
    {
        var hits = Directory.EnumerateDirectories(Src, "*", SearchOption.AllDirectories)
            .Where(folder => !IsBuildOutput(folder + "/") && NotProductFolders.Contains(Path.GetFileName(folder), StringComparer.OrdinalIgnoreCase))
            .Select(folder => Path.GetRelativePath(ServicePaths.RepositoryRoot, folder))
            .ToList();
        Assert.True(hits.Count == 0, "src/ holds bench, evaluation or simulation folders (move them to bench/ or hardware-sim/):\n" + string.Join('\n', hits));
    }

    [Fact]
    public void Product_projects_reference_no_bench_test_or_simulator_project()
    {
        var hits = Directory.EnumerateFiles(Src, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(project => ProjectReference().Matches(File.ReadAllText(project)).Select(m => (project, target: m.Groups[1].Value.Replace('\\', '/'))))
            .Where(r => !Path.GetFullPath(Path.Combine(Path.GetDirectoryName(r.project)!, r.target)).StartsWith(Src + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !r.target.Contains("firmware/tools/", StringComparison.Ordinal))
            .Select(r => $"{Path.GetRelativePath(ServicePaths.RepositoryRoot, r.project)} → {r.target}")
            .ToList();
        Assert.True(hits.Count == 0, "a product project references code outside src/:\n" + string.Join('\n', hits));
    }

    [Fact]
    public void Device_namespaces_follow_folders()
    {
        var device = Path.Combine(Src, "Device");
        // Each component project's folder is its root namespace; the rest of src/Device is Reader.Device.
        var roots = new Dictionary<string, string>
        {
            ["Camera"] = "Reader.Camera", ["Card"] = "Reader.Card", ["CardFace"] = "Reader.CardFace", ["Gpio"] = "Reader.Gpio", ["Kiosk"] = "Reader.Kiosk",
        };
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(device, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
        {
            var match = FileNamespace().Match(File.ReadAllText(file));
            if (!match.Success)
            {
                continue; // top-level statements and assembly attributes
            }

            var folders = Path.GetRelativePath(device, Path.GetDirectoryName(file)!).Split('/').Where(p => p != ".").ToList();
            var expected = folders.Count > 0 && roots.TryGetValue(folders[0], out var root)
                ? string.Join('.', [root, .. folders.Skip(1)])
                : string.Join('.', ["Reader.Device", .. folders]);
            if (match.Groups[1].Value != expected)
            {
                wrong.Add($"{Path.GetRelativePath(ServicePaths.RepositoryRoot, file)}: {match.Groups[1].Value}, folder says {expected}");
            }
        }

        Assert.True(wrong.Count == 0, "namespaces that do not follow their folder:\n" + string.Join('\n', wrong));
    }

    private static IEnumerable<string> ProductFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => ProductExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) && !IsBuildOutput(f));

    private static bool IsBuildOutput(string path) =>
        path.Contains("/bin/", StringComparison.Ordinal) || path.Contains("/obj/", StringComparison.Ordinal) || path.Contains("/node_modules/", StringComparison.Ordinal);

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
