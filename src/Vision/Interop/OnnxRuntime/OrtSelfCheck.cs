using System.Runtime.InteropServices;

namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>
/// Calls cheap functions spread over the table and checks their answers, so a table position
/// counted wrong shows up at start-up as a clear error instead of a wrong call later.
/// Covers positions 0–2, 10, 24, 50, 51, 60–62, 64, 65, 69, 71, 73, 74, 93, 94, 96, 99, 100, 130.
/// </summary>
internal static unsafe class OrtSelfCheck
{
    internal static void Run(OrtApi api)
    {
        CheckStatusRoundTrip(api);
        CheckMemoryInfo(api);
        CheckTensorOverOwnMemory(api);
        CheckSessionOptions(api);
    }

    private static void CheckStatusRoundTrip(OrtApi api)
    {
        nint status;
        fixed (byte* probe = "reader self-check\0"u8)
        {
            status = api.CreateStatus(OrtErrorCode.ORT_INVALID_ARGUMENT, probe);
        }

        Require(status != 0, "CreateStatus returned null");
        try
        {
            Require(api.GetErrorCode(status) == OrtErrorCode.ORT_INVALID_ARGUMENT, "GetErrorCode");
            var message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status));
            Require(message == "reader self-check", "GetErrorMessage");
        }
        finally
        {
            api.ReleaseStatus(status);
        }
    }

    private static void CheckMemoryInfo(OrtApi api)
    {
        nint info;
        Check(api, api.CreateCpuMemoryInfo(OrtAllocatorType.OrtArenaAllocator, OrtMemType.OrtMemTypeDefault, &info), "CreateCpuMemoryInfo");
        try
        {
            byte* name;
            Check(api, api.MemoryInfoGetName(info, &name), "MemoryInfoGetName");
            Require(Marshal.PtrToStringUTF8((nint)name) == "Cpu", "MemoryInfoGetName");
            OrtMemType memType;
            Check(api, api.MemoryInfoGetMemType(info, &memType), "MemoryInfoGetMemType");
            Require(memType == OrtMemType.OrtMemTypeDefault, "MemoryInfoGetMemType");
            OrtAllocatorType allocatorType;
            Check(api, api.MemoryInfoGetType(info, &allocatorType), "MemoryInfoGetType");
            Require(allocatorType == OrtAllocatorType.OrtArenaAllocator, "MemoryInfoGetType");
        }
        finally
        {
            api.ReleaseMemoryInfo(info);
        }
    }

    private static void CheckTensorOverOwnMemory(OrtApi api)
    {
        nint info;
        Check(api, api.CreateCpuMemoryInfo(OrtAllocatorType.OrtArenaAllocator, OrtMemType.OrtMemTypeDefault, &info), "CreateCpuMemoryInfo");
        var data = stackalloc float[6];
        var shape = stackalloc long[2] { 2, 3 };
        nint value = 0;
        try
        {
            Check(api, api.CreateTensorWithDataAsOrtValue(info, data, 6 * sizeof(float), shape, 2,
                ONNXTensorElementDataType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &value), "CreateTensorWithDataAsOrtValue");
            int isTensor;
            Check(api, api.IsTensor(value, &isTensor), "IsTensor");
            Require(isTensor == 1, "IsTensor");
            void* mutableData;
            Check(api, api.GetTensorMutableData(value, &mutableData), "GetTensorMutableData");
            Require(mutableData == data, "GetTensorMutableData returned another buffer");

            nint shapeInfo;
            Check(api, api.GetTensorTypeAndShape(value, &shapeInfo), "GetTensorTypeAndShape");
            try
            {
                ONNXTensorElementDataType type;
                Check(api, api.GetTensorElementType(shapeInfo, &type), "GetTensorElementType");
                Require(type == ONNXTensorElementDataType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, "GetTensorElementType");
                nuint rank;
                Check(api, api.GetDimensionsCount(shapeInfo, &rank), "GetDimensionsCount");
                Require(rank == 2, "GetDimensionsCount");
                var dims = stackalloc long[2];
                Check(api, api.GetDimensions(shapeInfo, dims, 2), "GetDimensions");
                Require(dims[0] == 2 && dims[1] == 3, "GetDimensions");
                nuint count;
                Check(api, api.GetTensorShapeElementCount(shapeInfo, &count), "GetTensorShapeElementCount");
                Require(count == 6, "GetTensorShapeElementCount");
            }
            finally
            {
                api.ReleaseTensorTypeAndShapeInfo(shapeInfo);
            }
        }
        finally
        {
            if (value != 0)
            {
                api.ReleaseValue(value);
            }

            api.ReleaseMemoryInfo(info);
        }
    }

    private static void CheckSessionOptions(OrtApi api)
    {
        nint options;
        Check(api, api.CreateSessionOptions(&options), "CreateSessionOptions");
        try
        {
            Check(api, api.SetIntraOpNumThreads(options, 1), "SetIntraOpNumThreads");
            var key = "session.intra_op.allow_spinning\0"u8;
            var off = "0\0"u8;
            fixed (byte* k = key)
            fixed (byte* v = off)
            {
                Check(api, api.AddSessionConfigEntry(options, k, v), "AddSessionConfigEntry");
            }
        }
        finally
        {
            api.ReleaseSessionOptions(options);
        }
    }

    private static void Check(OrtApi api, nint status, string function)
    {
        if (status == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status)) ?? "";
        api.ReleaseStatus(status);
        throw new OnnxRuntimeException($"ONNX Runtime self-check: {function} failed: {message}; the function table positions do not match this library");
    }

    private static void Require(bool condition, string function)
    {
        if (!condition)
        {
            throw new OnnxRuntimeException($"ONNX Runtime self-check: {function} gave an unexpected answer; the function table positions do not match this library");
        }
    }
}
