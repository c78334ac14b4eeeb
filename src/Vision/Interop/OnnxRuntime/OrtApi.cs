namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>
/// The functions of <c>struct OrtApi</c> this service calls, read out of the table by their position.
/// The table is append-only across releases; the positions below were counted from the 1.30
/// header (ORT_API_VERSION 30) and are checked at start-up by <see cref="OrtSelfCheck"/>, because
/// an off-by-one here calls the wrong native function.
/// Every function returns an <c>OrtStatus*</c> (null = success) unless noted.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>ORT_API_VERSION of the header the positions were taken from.</summary>
    internal const uint ORT_API_VERSION = 30;

    // Positions in struct OrtApi (0-based), onnxruntime_c_api.h 1.30.
    internal const int CreateStatusIndex = 0;
    internal const int GetErrorCodeIndex = 1;
    internal const int GetErrorMessageIndex = 2;
    internal const int CreateEnvIndex = 3;
    internal const int DisableTelemetryEventsIndex = 6;
    internal const int CreateSessionFromArrayIndex = 8;
    internal const int RunIndex = 9;
    internal const int CreateSessionOptionsIndex = 10;
    internal const int SetSessionExecutionModeIndex = 13;
    internal const int EnableCpuMemArenaIndex = 18;
    internal const int DisableCpuMemArenaIndex = 19;
    internal const int SetSessionLogSeverityLevelIndex = 22;
    internal const int SetSessionGraphOptimizationLevelIndex = 23;
    internal const int SetIntraOpNumThreadsIndex = 24;
    internal const int SetInterOpNumThreadsIndex = 25;
    internal const int SessionGetInputCountIndex = 30;
    internal const int SessionGetOutputCountIndex = 31;
    internal const int SessionGetInputTypeInfoIndex = 33;
    internal const int SessionGetOutputTypeInfoIndex = 34;
    internal const int SessionGetInputNameIndex = 36;
    internal const int SessionGetOutputNameIndex = 37;
    internal const int CreateTensorWithDataAsOrtValueIndex = 49;
    internal const int IsTensorIndex = 50;
    internal const int GetTensorMutableDataIndex = 51;
    internal const int CastTypeInfoToTensorInfoIndex = 55;
    internal const int GetTensorElementTypeIndex = 60;
    internal const int GetDimensionsCountIndex = 61;
    internal const int GetDimensionsIndex = 62;
    internal const int GetTensorShapeElementCountIndex = 64;
    internal const int GetTensorTypeAndShapeIndex = 65;
    internal const int CreateCpuMemoryInfoIndex = 69;
    internal const int MemoryInfoGetNameIndex = 71;
    internal const int MemoryInfoGetMemTypeIndex = 73;
    internal const int MemoryInfoGetTypeIndex = 74;
    internal const int AllocatorFreeIndex = 76;
    internal const int GetAllocatorWithDefaultOptionsIndex = 78;
    internal const int ReleaseEnvIndex = 92;
    internal const int ReleaseStatusIndex = 93;
    internal const int ReleaseMemoryInfoIndex = 94;
    internal const int ReleaseSessionIndex = 95;
    internal const int ReleaseValueIndex = 96;
    internal const int ReleaseTypeInfoIndex = 98;
    internal const int ReleaseTensorTypeAndShapeInfoIndex = 99;
    internal const int ReleaseSessionOptionsIndex = 100;
    internal const int AddSessionConfigEntryIndex = 130;

    internal OrtApi(nint table)
    {
        var f = (nint*)table;
        CreateStatus = (delegate* unmanaged<OrtErrorCode, byte*, nint>)f[CreateStatusIndex];
        GetErrorCode = (delegate* unmanaged<nint, OrtErrorCode>)f[GetErrorCodeIndex];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)f[GetErrorMessageIndex];
        CreateEnv = (delegate* unmanaged<OrtLoggingLevel, byte*, nint*, nint>)f[CreateEnvIndex];
        DisableTelemetryEvents = (delegate* unmanaged<nint, nint>)f[DisableTelemetryEventsIndex];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)f[CreateSessionFromArrayIndex];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)f[RunIndex];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)f[CreateSessionOptionsIndex];
        SetSessionExecutionMode = (delegate* unmanaged<nint, ExecutionMode, nint>)f[SetSessionExecutionModeIndex];
        EnableCpuMemArena = (delegate* unmanaged<nint, nint>)f[EnableCpuMemArenaIndex];
        DisableCpuMemArena = (delegate* unmanaged<nint, nint>)f[DisableCpuMemArenaIndex];
        SetSessionLogSeverityLevel = (delegate* unmanaged<nint, int, nint>)f[SetSessionLogSeverityLevelIndex];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, GraphOptimizationLevel, nint>)f[SetSessionGraphOptimizationLevelIndex];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)f[SetIntraOpNumThreadsIndex];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)f[SetInterOpNumThreadsIndex];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)f[SessionGetInputCountIndex];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)f[SessionGetOutputCountIndex];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)f[SessionGetInputTypeInfoIndex];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)f[SessionGetOutputTypeInfoIndex];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)f[SessionGetInputNameIndex];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)f[SessionGetOutputNameIndex];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, ONNXTensorElementDataType, nint*, nint>)f[CreateTensorWithDataAsOrtValueIndex];
        IsTensor = (delegate* unmanaged<nint, int*, nint>)f[IsTensorIndex];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)f[GetTensorMutableDataIndex];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)f[CastTypeInfoToTensorInfoIndex];
        GetTensorElementType = (delegate* unmanaged<nint, ONNXTensorElementDataType*, nint>)f[GetTensorElementTypeIndex];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)f[GetDimensionsCountIndex];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)f[GetDimensionsIndex];
        GetTensorShapeElementCount = (delegate* unmanaged<nint, nuint*, nint>)f[GetTensorShapeElementCountIndex];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)f[GetTensorTypeAndShapeIndex];
        CreateCpuMemoryInfo = (delegate* unmanaged<OrtAllocatorType, OrtMemType, nint*, nint>)f[CreateCpuMemoryInfoIndex];
        MemoryInfoGetName = (delegate* unmanaged<nint, byte**, nint>)f[MemoryInfoGetNameIndex];
        MemoryInfoGetMemType = (delegate* unmanaged<nint, OrtMemType*, nint>)f[MemoryInfoGetMemTypeIndex];
        MemoryInfoGetType = (delegate* unmanaged<nint, OrtAllocatorType*, nint>)f[MemoryInfoGetTypeIndex];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)f[AllocatorFreeIndex];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)f[GetAllocatorWithDefaultOptionsIndex];
        ReleaseEnv = (delegate* unmanaged<nint, void>)f[ReleaseEnvIndex];
        ReleaseStatus = (delegate* unmanaged<nint, void>)f[ReleaseStatusIndex];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)f[ReleaseMemoryInfoIndex];
        ReleaseSession = (delegate* unmanaged<nint, void>)f[ReleaseSessionIndex];
        ReleaseValue = (delegate* unmanaged<nint, void>)f[ReleaseValueIndex];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)f[ReleaseTypeInfoIndex];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)f[ReleaseTensorTypeAndShapeInfoIndex];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)f[ReleaseSessionOptionsIndex];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)f[AddSessionConfigEntryIndex];
    }

    /// <summary>Returns an OrtStatus* (not a status to check).</summary>
    internal readonly delegate* unmanaged<OrtErrorCode, byte*, nint> CreateStatus;
    internal readonly delegate* unmanaged<nint, OrtErrorCode> GetErrorCode;
    internal readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    internal readonly delegate* unmanaged<OrtLoggingLevel, byte*, nint*, nint> CreateEnv;
    internal readonly delegate* unmanaged<nint, nint> DisableTelemetryEvents;
    internal readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    internal readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    internal readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    internal readonly delegate* unmanaged<nint, ExecutionMode, nint> SetSessionExecutionMode;
    internal readonly delegate* unmanaged<nint, nint> EnableCpuMemArena;
    internal readonly delegate* unmanaged<nint, nint> DisableCpuMemArena;
    internal readonly delegate* unmanaged<nint, int, nint> SetSessionLogSeverityLevel;
    internal readonly delegate* unmanaged<nint, GraphOptimizationLevel, nint> SetSessionGraphOptimizationLevel;
    internal readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    internal readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    internal readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, ONNXTensorElementDataType, nint*, nint> CreateTensorWithDataAsOrtValue;
    internal readonly delegate* unmanaged<nint, int*, nint> IsTensor;
    internal readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    /// <summary>The info it returns belongs to the type info: do not release it.</summary>
    internal readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    internal readonly delegate* unmanaged<nint, ONNXTensorElementDataType*, nint> GetTensorElementType;
    internal readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    internal readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    internal readonly delegate* unmanaged<nint, nuint*, nint> GetTensorShapeElementCount;
    internal readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    internal readonly delegate* unmanaged<OrtAllocatorType, OrtMemType, nint*, nint> CreateCpuMemoryInfo;
    internal readonly delegate* unmanaged<nint, byte**, nint> MemoryInfoGetName;
    internal readonly delegate* unmanaged<nint, OrtMemType*, nint> MemoryInfoGetMemType;
    internal readonly delegate* unmanaged<nint, OrtAllocatorType*, nint> MemoryInfoGetType;
    internal readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    internal readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    internal readonly delegate* unmanaged<nint, void> ReleaseEnv;
    internal readonly delegate* unmanaged<nint, void> ReleaseStatus;
    internal readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseSession;
    internal readonly delegate* unmanaged<nint, void> ReleaseValue;
    internal readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    internal readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
}
