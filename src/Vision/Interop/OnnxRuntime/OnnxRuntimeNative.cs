using System.Runtime.InteropServices;

namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>
/// The one exported entry point of libonnxruntime.so.1. Everything else is reached through the
/// function tables it returns (<see cref="OrtApiBase"/> → <see cref="OrtApi"/>).
/// </summary>
internal static partial class OnnxRuntimeNative
{
    /// <summary>Library name the resolver (<see cref="OnnxRuntimeLibrary"/>) maps to the cached file.</summary>
    internal const string Library = "onnxruntime";

    [LibraryImport(Library)]
    internal static partial nint OrtGetApiBase();
}

/// <summary><c>struct OrtApiBase</c> from onnxruntime_c_api.h (1.30), verbatim field order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OrtApiBase
{
    public delegate* unmanaged<uint, nint> GetApi;
    public delegate* unmanaged<byte*> GetVersionString;
}

// Enums from onnxruntime_c_api.h with their native names and values, verbatim.
#pragma warning disable CA1712 // the native names repeat the type name
internal enum OrtLoggingLevel
{
    ORT_LOGGING_LEVEL_VERBOSE = 0,
    ORT_LOGGING_LEVEL_INFO = 1,
    ORT_LOGGING_LEVEL_WARNING = 2,
    ORT_LOGGING_LEVEL_ERROR = 3,
    ORT_LOGGING_LEVEL_FATAL = 4,
}

internal enum OrtErrorCode
{
    ORT_OK = 0,
    ORT_FAIL = 1,
    ORT_INVALID_ARGUMENT = 2,
    ORT_NO_SUCHFILE = 3,
    ORT_NO_MODEL = 4,
    ORT_ENGINE_ERROR = 5,
    ORT_RUNTIME_EXCEPTION = 6,
    ORT_INVALID_PROTOBUF = 7,
    ORT_MODEL_LOADED = 8,
    ORT_NOT_IMPLEMENTED = 9,
    ORT_INVALID_GRAPH = 10,
    ORT_EP_FAIL = 11,
}

internal enum GraphOptimizationLevel
{
    ORT_DISABLE_ALL = 0,
    ORT_ENABLE_BASIC = 1,
    ORT_ENABLE_EXTENDED = 2,
    ORT_ENABLE_LAYOUT = 3,
    ORT_ENABLE_ALL = 99,
}

internal enum ExecutionMode
{
    ORT_SEQUENTIAL = 0,
    ORT_PARALLEL = 1,
}

internal enum OrtAllocatorType
{
    OrtInvalidAllocator = -1,
    OrtDeviceAllocator = 0,
    OrtArenaAllocator = 1,
}

internal enum OrtMemType
{
    OrtMemTypeCPUInput = -2,
    OrtMemTypeCPUOutput = -1,
    OrtMemTypeDefault = 0,
}

internal enum ONNXTensorElementDataType
{
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 = 3,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 = 7,
}

internal enum ONNXType
{
    ONNX_TYPE_UNKNOWN = 0,
    ONNX_TYPE_TENSOR = 1,
}
#pragma warning restore CA1712
