using Microsoft.ML.OnnxRuntime;

namespace Reader.Vision.Inference;

/// <summary>How ONNX Runtime runs one model.</summary>
internal sealed record InferenceOptions
{
    /// <summary>Intra-op threads (the ARM board has 2–4 cores shared with capture and UI).</summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>The session options these settings mean (the caller disposes them once the session exists).</summary>
    internal SessionOptions ToSessionOptions()
    {
        var options = new SessionOptions();
        try
        {
            options.IntraOpNumThreads = Math.Max(1, IntraOpThreads);
            options.InterOpNumThreads = 1;
            options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
            options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            // The environment's one CPU arena instead of one per session (see OnnxRuntimeEnvironment).
            options.AddSessionConfigEntry("session.use_env_allocators", "1");
            // Spinning threads burn the shared cores while waiting: measured 2-3x slower under load.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
