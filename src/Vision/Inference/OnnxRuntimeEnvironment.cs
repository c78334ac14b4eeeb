using Reader.Vision.Interop.OnnxRuntime;

namespace Reader.Vision.Inference;

/// <summary>
/// The process's one ONNX Runtime environment (ORT allows one per process) and the CPU memory
/// description used to wrap our own buffers as tensors. Created on first use, kept for the
/// life of the process.
/// </summary>
internal sealed unsafe class OnnxRuntimeEnvironment
{
    private static readonly Lock Gate = new();
    private static OnnxRuntimeEnvironment? instance;

    private OnnxRuntimeEnvironment(OrtEnvHandle env, OrtMemoryInfoHandle cpuMemory)
    {
        Env = env;
        CpuMemory = cpuMemory;
    }

    internal OrtEnvHandle Env { get; }

    internal OrtMemoryInfoHandle CpuMemory { get; }

    /// <summary>The ONNX Runtime version string, e.g. "1.30.0".</summary>
    internal static string Version => OnnxRuntimeLibrary.Version;

    internal static OnnxRuntimeEnvironment Get(string? libraryPath)
    {
        lock (Gate)
        {
            if (instance is not null)
            {
                return instance;
            }

            OnnxRuntimeLibrary.Configure(libraryPath);
            var api = OnnxRuntimeLibrary.Api;
            var env = new OrtEnvHandle();
            var memory = new OrtMemoryInfoHandle();
            nint envPointer;
            fixed (byte* logId = "reader-vision\0"u8)
            {
                // Errors only: ORT's warnings (e.g. initializers listed as inputs) are noise here.
                OrtStatus.Check(api.CreateEnv(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, logId, &envPointer), "CreateEnv");
            }

            System.Runtime.InteropServices.Marshal.InitHandle(env, envPointer);
            OrtStatus.Check(api.DisableTelemetryEvents(envPointer), "DisableTelemetryEvents");
            nint memoryPointer;
            OrtStatus.Check(api.CreateCpuMemoryInfo(OrtAllocatorType.OrtArenaAllocator, OrtMemType.OrtMemTypeDefault, &memoryPointer), "CreateCpuMemoryInfo");
            System.Runtime.InteropServices.Marshal.InitHandle(memory, memoryPointer);
            instance = new OnnxRuntimeEnvironment(env, memory);
            return instance;
        }
    }
}
