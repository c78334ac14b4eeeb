namespace Reader.Vision.Inference;

/// <summary>How ONNX Runtime runs one model.</summary>
internal sealed record InferenceOptions
{
    /// <summary>Intra-op threads (the ARM board has 2–4 cores shared with capture and UI).</summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>ORT's CPU arena keeps freed blocks for reuse; off keeps the resident size lower.</summary>
    public bool CpuMemoryArena { get; init; } = true;
}
