using Microsoft.Win32.SafeHandles;

namespace Reader.Imaging.Interop.Turbojpeg;

/// <summary>A libturbojpeg compressor or decompressor instance (tjhandle).</summary>
internal sealed class SafeTurbojpegHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeTurbojpegHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Turbojpeg.tjDestroy(handle) == 0;
}
