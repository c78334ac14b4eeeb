using System.Runtime.InteropServices;

namespace Reader.CardFace.Interop.Tesseract;

/// <summary>A TessBaseAPI*: deleted (with everything it recognised) on release.</summary>
internal sealed class SafeTessBaseApiHandle : SafeHandle
{
    public SafeTessBaseApiHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessBaseAPIDelete(handle);
        return true;
    }
}

/// <summary>A TessResultIterator* over the last recognition.</summary>
internal sealed class SafeTessResultIteratorHandle : SafeHandle
{
    public SafeTessResultIteratorHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessResultIteratorDelete(handle);
        return true;
    }
}

/// <summary>A char* Tesseract allocated for recognised text: zeroed (it is card-face data) before TessDeleteText frees it.</summary>
internal sealed unsafe class SafeTessTextHandle : SafeHandle
{
    public SafeTessTextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>The NUL-terminated UTF-8 bytes (valid until disposed).</summary>
    public ReadOnlySpan<byte> Utf8 => IsInvalid ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)handle);

    protected override bool ReleaseHandle()
    {
        var length = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)handle).Length;
        new Span<byte>((void*)handle, length).Clear();
        TesseractNative.TessDeleteText(handle);
        return true;
    }
}
