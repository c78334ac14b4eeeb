using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libc;

/// <summary>Owns one file descriptor (an eventfd, or a directory opened to fsync it); closed with <c>close</c>.</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle()
        : base(-1, ownsHandle: true)
    {
    }

    public FileDescriptorHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    public int Descriptor => (int)handle;

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
