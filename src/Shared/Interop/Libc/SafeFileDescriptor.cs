using Microsoft.Win32.SafeHandles;

namespace Reader.Shared.Interop.Libc;

/// <summary>A file descriptor (open(2), eventfd(2)), closed with close(2).</summary>
internal sealed class SafeFileDescriptor : SafeHandleMinusOneIsInvalid
{
    /// <summary>Used by the marshaller.</summary>
    public SafeFileDescriptor()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a descriptor a native call returned (negative = invalid).</summary>
    public SafeFileDescriptor(int fd)
        : base(ownsHandle: true) => SetHandle(fd < 0 ? -1 : fd);

    internal int Number => (int)handle;

    /// <summary>open(2); an invalid handle (check <see cref="System.Runtime.InteropServices.SafeHandle.IsInvalid"/>) on failure, errno in the last P/Invoke error.</summary>
    internal static SafeFileDescriptor Open(string path, int flags) => new(Libc.open(path, flags));

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
