using System.Runtime.InteropServices;
using System.Text.Json;
using Reader.Shared.Threading;
using Reader.Vision.Inference;

namespace Reader.Vision.Tests;

/// <summary>Model sessions on ONNX Runtime from the Microsoft.ML.OnnxRuntime package, with the real models.</summary>
public sealed class ModelSessionTests
{
    private static ModelStore Store() => ModelStore.Open(TestPaths.Models);

    [Fact]
    public void The_runtime_is_the_packages_1_32_library_for_this_machine_loaded_from_beside_the_program()
    {
        Assert.StartsWith("1.32.", OnnxRuntimeEnvironment.Version, StringComparison.Ordinal);
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => Path.GetFileName(path) == "libonnxruntime.so")
            .Distinct()
            .ToList();
        // A portable build keeps it under runtimes/<rid>/native, a publish for one architecture beside the program.
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string[] expected =
        [
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libonnxruntime.so")),
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so")),
        ];
        Assert.Contains(Assert.Single(loaded), expected);
    }

    [Theory]
    [InlineData("fr_detect")]
    [InlineData("fr_landmark")]
    [InlineData("fr_feature")]
    [InlineData("fr_liveness")]
    [InlineData("fr_eye")]
    [InlineData("fr_pose")]
    [InlineData("blazeface_front_128")]
    public void Every_model_loads_and_its_inputs_and_outputs_match_the_manifest(string id)
    {
        var store = Store();
        using var session = ModelSession.Create(id, store.ReadVerified(id), new InferenceOptions { IntraOpThreads = 1 });
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "models", "models.json")));
        var spec = manifest.RootElement.GetProperty("models").GetProperty(id);
        AssertSameTensors(spec.GetProperty("inputs"), session.Inputs);
        AssertSameTensors(spec.GetProperty("outputs"), session.Outputs);
        session.Run();
        Assert.Equal(1, session.RunCount);
    }

    [Fact]
    public async Task The_models_worker_threads_are_named_onnx_worker_and_run_below_the_process_priority()
    {
        var store = Store();
        var before = Tasks(OnnxWorkerThreads.Name).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        // From a pool thread, as the service loads its models: the workers would otherwise take the pool's name.
        using var session = await Task.Run(() => ModelSession.Create("fr_eye", store.ReadVerified("fr_eye"), new InferenceOptions { IntraOpThreads = 3 }));
        session.Run();

        // Thread ids, not counts: other test classes may create or dispose sessions at the same time. Three intra-op
        // threads: the caller and two workers of the session's own.
        var workers = Tasks(OnnxWorkerThreads.Name).Where(t => !before.Contains(t.Id)).ToList();
        Assert.True(workers.Count >= 2);
        var process = NiceOf(File.ReadAllText("/proc/self/stat"));
        Assert.All(workers, w => Assert.Equal(Math.Min(process + OnnxWorkerThreads.NiceIncrement, 19), w.Nice));
    }

    /// <summary>This process's threads named <paramref name="name"/>: id and nice value (those that end meanwhile are left out).</summary>
    private static IEnumerable<(string Id, int Nice)> Tasks(string name)
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string comm, stat;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended in between
            }

            if (comm == name)
            {
                yield return (Path.GetFileName(task), NiceOf(stat));
            }
        }
    }

    // proc(5): the 19th field of stat; the name in brackets (field 2) may hold spaces, so count after its ')'.
    private static int NiceOf(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_model_onnx_runtime_refuses_fails_with_the_vision_error_from_the_named_thread()
    {
        var e = Assert.Throws<VisionRuntimeException>(() => ModelSession.Create("not-a-model", [1, 2, 3, 4], new InferenceOptions()));
        Assert.Contains("not-a-model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_whose_bytes_differ_from_the_manifest_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("reader-vision-test-");
        try
        {
            File.Copy(Path.Combine(TestPaths.Models, "models.json"), Path.Combine(dir.FullName, "models.json"));
            var bytes = File.ReadAllBytes(Path.Combine(TestPaths.Models, "fr_eye.onnx"));
            bytes[^1] ^= 0x5A;
            File.WriteAllBytes(Path.Combine(dir.FullName, "fr_eye.onnx"), bytes);
            var store = ModelStore.Open(dir.FullName);
            var error = Assert.Throws<VisionModelException>(() => store.ReadVerified("fr_eye"));
            Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unreadable_manifest_is_a_model_error_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("reader-vision-test-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "models.json"), "{ \"schema\": 1, \"models\": ");
            var error = Assert.Throws<VisionModelException>(() => ModelStore.Open(dir.FullName));
            Assert.Contains("models.json", error.Message, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "models.json"), "{ \"schema\": 1 }");
            Assert.Throws<VisionModelException>(() => ModelStore.Open(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Garbage_model_bytes_give_a_clear_onnx_runtime_error_naming_the_model()
    {
        var error = Assert.Throws<VisionRuntimeException>(() =>
            ModelSession.Create("garbage", [1, 2, 3, 4, 5, 6, 7, 8], new InferenceOptions()));
        Assert.Contains("garbage", error.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(error.InnerException);
    }

    [Fact]
    public void Every_run_writes_its_outputs_into_our_own_buffers()
    {
        var store = Store();
        using var session = ModelSession.Create("fr_landmark", store.ReadVerified("fr_landmark"), new InferenceOptions { IntraOpThreads = 2 });
        FillPattern(session.Input());
        session.Run();
        var first = session.Output().ToArray();
        Assert.Contains(first, v => v != 0);

        // Cleared and run again: the result reappears in the same buffer, so ORT writes into our
        // memory on every run (it did not swap in an output of its own after the first).
        session.ClearBuffers();
        Assert.All(session.Output().ToArray(), v => Assert.Equal(0f, v));
        FillPattern(session.Input());
        session.Run();
        Assert.Equal(first, session.Output().ToArray());
        session.ClearBuffers();
        Assert.All(session.Input().ToArray(), v => Assert.Equal(0f, v));
        Assert.All(session.Output().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_run_allocates_no_managed_memory()
    {
        var store = Store();
        using var session = ModelSession.Create("fr_eye", store.ReadVerified("fr_eye"), new InferenceOptions { IntraOpThreads = 1 });
        FillPattern(session.Input());
        session.Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            session.Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_disposed_session_refuses_to_run_and_leaves_its_buffers_zeroed()
    {
        var store = Store();
        var session = ModelSession.Create("fr_eye", store.ReadVerified("fr_eye"), new InferenceOptions { IntraOpThreads = 1 });
        FillPattern(session.Input());
        session.Run();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(session.Run);
        Assert.All(session.Input().ToArray(), v => Assert.Equal(0f, v));
        Assert.All(session.Output().ToArray(), v => Assert.Equal(0f, v));
    }

    private static void FillPattern(Span<float> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 64) / 64f;
        }
    }

    private static void AssertSameTensors(JsonElement expected, IReadOnlyList<TensorShape> actual)
    {
        Assert.Equal(expected.GetArrayLength(), actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            var e = expected[i];
            Assert.Equal(e.GetProperty("name").GetString(), actual[i].Name);
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), actual[i].Dimensions);
        }
    }
}
