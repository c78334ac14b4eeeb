using System.Diagnostics;
using Reader.Device.Hosting.SelfTest;
using Reader.Device.Tests.Service;
using Reader.Vision;

namespace Reader.Device.Tests;

/// <summary>
/// The self-test's "vision" check on the real ONNX Runtime (the Microsoft.ML.OnnxRuntime package) and the
/// fetched models: it passes when both are there, and reports rather than throws when either is missing.
/// </summary>
public sealed class VisionCheckTests
{
    private static string Models => Path.Combine(ServicePaths.Cache, "models");

    [ModelsFact]
    public void The_check_passes_with_the_packages_runtime_and_the_fetched_models()
    {
        var result = VisionCheck.Probe(new VisionOptions { ModelDirectory = Models });
        Assert.True(result.Ok, result.Detail);
        Assert.Contains("ONNX Runtime 1.32.", result.Detail, StringComparison.Ordinal);
    }

    [ModelsFact]
    public void A_missing_model_is_reported_by_name_while_the_runtime_is_said_to_load()
    {
        var folder = Directory.CreateTempSubdirectory("reader-vision-check-").FullName;
        try
        {
            File.Copy(Path.Combine(Models, "models.json"), Path.Combine(folder, "models.json"));
            var result = VisionCheck.Probe(new VisionOptions { ModelDirectory = folder });
            Assert.False(result.Ok);
            Assert.Contains("ONNX Runtime 1.32.", result.Detail, StringComparison.Ordinal);
            Assert.Contains("fr_detect", result.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [ModelsFact]
    public void A_broken_manifest_is_reported_not_thrown()
    {
        var folder = Directory.CreateTempSubdirectory("reader-vision-check-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "models.json"), "{ not json");
            var result = VisionCheck.Probe(new VisionOptions { ModelDirectory = folder });
            Assert.False(result.Ok);
            Assert.Contains("models.json", result.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// reader-device from a copy of its build output without libonnxruntime.so (hard links, so nothing large is
    /// copied): <c>self-test</c> names the missing library on the vision line and exits 1 like any failed check,
    /// with no unhandled exception.
    /// </summary>
    [ModelsFact]
    public async Task Without_the_onnx_runtime_library_the_self_test_reports_it_and_does_not_crash()
    {
        var built = Path.GetDirectoryName(ServicePaths.ReaderDevice)!;
        var copy = Path.Combine(Path.GetDirectoryName(built)!, "no-onnxruntime-" + Guid.NewGuid().ToString("N"));
        var folder = Directory.CreateTempSubdirectory("reader-vision-check-").FullName;
        try
        {
            Assert.Equal(0, await RunAsync("cp", ["-al", built, copy], null));
            var removed = Directory.GetFiles(copy, "libonnxruntime.so", SearchOption.AllDirectories);
            Assert.NotEmpty(removed);
            foreach (var file in removed)
            {
                File.Delete(file);
            }

            var config = Path.Combine(folder, "reader.json");
            File.WriteAllText(config, $$"""
                { "Logging": { "Folder": "{{Path.Combine(folder, "logs")}}", "Console": false },
                  "Vision": { "ModelDirectory": "{{Models}}" } }
                """);
            var output = new List<string>();
            var code = await RunAsync("dotnet", [Path.Combine(copy, "reader-device.dll"), "self-test", "--config", config], output);
            var all = string.Join('\n', output);
            Assert.Equal(1, code);
            var vision = Assert.Single(output, line => line.StartsWith("FAIL vision", StringComparison.Ordinal));
            Assert.Contains("ONNX Runtime cannot be loaded", vision, StringComparison.Ordinal);
            Assert.Contains("libonnxruntime.so", vision, StringComparison.Ordinal);
            Assert.Contains("self-test failed", all, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }
        }
    }

    private static async Task<int> RunAsync(string program, string[] arguments, List<string>? output)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["READER_CACHE"] = ServicePaths.Cache;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        output?.AddRange((await stdout + await stderr).Split('\n'));
        return process.ExitCode;
    }

    /// <summary>A fact that needs the fetched face models (./reader test fetches them): skipped with the reason otherwise.</summary>
    private sealed class ModelsFactAttribute : FactAttribute
    {
        public ModelsFactAttribute()
        {
            if (!File.Exists(Path.Combine(Models, "models.json")))
            {
                Skip = $"the face models are not fetched at {Models} (./reader test fetches them)";
            }
        }
    }
}
