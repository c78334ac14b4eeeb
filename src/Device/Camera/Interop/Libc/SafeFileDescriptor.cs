using Microsoft.Win32.SafeHandles;

namespace Reader.Camera.Interop.Libc;

/// <summary>A file descriptor from open(2), closed with close(2).</summary>
internal sealed class SafeFileDescriptor : SafeHandleMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeFileDescriptor()
        : base(ownsHandle: true)
    {
    }

    internal int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
