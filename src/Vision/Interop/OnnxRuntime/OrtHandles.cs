using Microsoft.Win32.SafeHandles;

namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary><c>OrtEnv*</c>, released with <c>ReleaseEnv</c>.</summary>
internal sealed class OrtEnvHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtEnvHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseEnv(handle);
        return true;
    }
}

/// <summary><c>OrtSessionOptions*</c>, released with <c>ReleaseSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionOptionsHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary><c>OrtSession*</c>, released with <c>ReleaseSession</c>.</summary>
internal sealed class OrtSessionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtSessionHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseSession(handle);
        return true;
    }
}

/// <summary><c>OrtMemoryInfo*</c>, released with <c>ReleaseMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtMemoryInfoHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary><c>OrtValue*</c>, released with <c>ReleaseValue</c>. For tensors over our own memory the
/// owner of that memory must outlive the value.</summary>
internal sealed class OrtValueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtValueHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseValue(handle);
        return true;
    }
}

/// <summary><c>OrtTypeInfo*</c>, released with <c>ReleaseTypeInfo</c>.</summary>
internal sealed class OrtTypeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTypeInfoHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseTypeInfo(handle);
        return true;
    }
}

/// <summary><c>OrtTensorTypeAndShapeInfo*</c>, released with <c>ReleaseTensorTypeAndShapeInfo</c>.</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OrtTensorTypeAndShapeInfoHandle() : base(ownsHandle: true) { }

    protected override unsafe bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
