using System.Text.Json;
using Reader.Vision.Inference;
using Reader.Vision.Interop.OnnxRuntime;

namespace Reader.Vision.Tests;

public sealed class OnnxRuntimeBindingTests
{
    private static ModelStore Store()
    {
        var store = ModelStore.Open(TestPaths.Models);
        OnnxRuntimeLibrary.Configure(store.RuntimeLibraryPath);
        return store;
    }

    [Fact]
    public void The_library_is_1_30_and_the_function_table_passes_the_self_check()
    {
        Store();
        Assert.StartsWith("1.30.", OnnxRuntimeLibrary.Version, StringComparison.Ordinal);
        // Loading ran the self-check; running it again on the same table must pass too.
        OrtSelfCheck.Run(OnnxRuntimeLibrary.Api);
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
    public void Garbage_model_bytes_give_a_clear_onnx_runtime_error()
    {
        Store();
        var error = Assert.Throws<OnnxRuntimeException>(() =>
            ModelSession.Create("garbage", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new InferenceOptions()));
        Assert.Contains("CreateSessionFromArray", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ErrorCode);
    }

    [Fact]
    public void Outputs_are_written_in_place_into_our_buffers_and_runs_are_repeatable()
    {
        var store = Store();
        using var session = ModelSession.Create("fr_landmark", store.ReadVerified("fr_landmark"), new InferenceOptions { IntraOpThreads = 2 });
        var input = session.Input();
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 64) / 64f;
        }

        session.Run();
        var first = session.Output().ToArray();
        Assert.Contains(first, v => v != 0);
        session.Run();
        Assert.Equal(first, session.Output().ToArray());
        session.ClearBuffers();
        Assert.All(session.Output().ToArray(), v => Assert.Equal(0f, v));
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
