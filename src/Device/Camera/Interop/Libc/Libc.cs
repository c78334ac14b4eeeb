using System.Runtime.InteropServices;

namespace Reader.Camera.Interop.Libc;

// glibc calls for V4L2 capture. Native names verbatim; nothing else here.
// Constants are the Linux generic values, the same on x86-64 and arm64.
internal static unsafe partial class Libc
{
    private const string Library = "libc.so.6";

    internal const int O_RDWR = 0x2;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    internal const int PROT_READ = 0x1;
    internal const int PROT_WRITE = 0x2;
    internal const int MAP_SHARED = 0x1;

    internal const short POLLIN = 0x1;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;

    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;

    internal static readonly nint MAP_FAILED = -1;

    // Returns a C int: wrapped by SafeFileDescriptor.Open (a SafeHandle return would read 64 bits).
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string pathname, int flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int close(int fd);

    // ioctl is variadic in C; one pointer argument is passed identically on x86-64 and arm64 Linux.
    // A SafeFileDescriptor argument travels in a 64-bit register of which the callee reads the int.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ioctl(SafeFileDescriptor fd, CULong request, void* argp);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint mmap(nint addr, nuint length, int prot, int flags, SafeFileDescriptor fd, long offset);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int munmap(nint addr, nuint length);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int poll(pollfd* fds, CULong nfds, int timeout);

#pragma warning disable CS8981 // verbatim native name
    [StructLayout(LayoutKind.Sequential)]
    internal struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }
#pragma warning restore CS8981
}
