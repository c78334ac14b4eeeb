using System.Runtime.InteropServices;
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

    /// <summary>open(2); an invalid handle (check <see cref="SafeHandle.IsInvalid"/>) on failure, errno in the last P/Invoke error.</summary>
    internal static SafeFileDescriptor Open(string path, int flags)
    {
        var descriptor = new SafeFileDescriptor();
        int fd = Libc.open(path, flags);
        if (fd >= 0)
        {
            descriptor.SetHandle(fd);
        }

        return descriptor;
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
