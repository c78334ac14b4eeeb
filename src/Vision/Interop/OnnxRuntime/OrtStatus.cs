using System.Runtime.InteropServices;

namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>Turns an <c>OrtStatus*</c> into an exception and releases it.</summary>
internal static unsafe class OrtStatus
{
    internal static void Check(nint status, string operation)
    {
        if (status == 0)
        {
            return;
        }

        var api = OnnxRuntimeLibrary.Api;
        var code = api.GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status)) ?? "";
        api.ReleaseStatus(status);
        throw new OnnxRuntimeException(operation, code, message);
    }
}
