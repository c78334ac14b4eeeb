using System.Runtime.InteropServices;

#pragma warning disable CS8981 // verbatim native names

namespace Reader.Shared.Interop.Libc;

/// <summary>
/// The glibc calls the reader needs, in one place: V4L2 capture (open, ioctl, mmap, poll), the MQTT
/// network loop (poll, eventfd), durable files (directory fsync), broker control (kill, shutdown) and who owns a
/// file (statx, geteuid: the anti-rollback floor must be root's), and a thread's scheduling priority (the face models'
/// worker threads, see <c>OnnxWorkerThreads</c>).
/// The constants here have one value on every Linux architecture we build for (x86-64, arm64); the few that
/// differ by architecture are in <c>Libc.Architecture.cs</c>, chosen for the running process.
/// tests/Reader.Camera.Tests/NativeAbiTests checks both sets against the C headers of each architecture.
/// </summary>
internal static unsafe partial class Libc
{
    internal const string LibraryName = "libc.so.6";

    internal const int O_RDONLY = 0;
    internal const int O_RDWR = 0x2;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    internal const int PROT_READ = 0x1;
    internal const int PROT_WRITE = 0x2;
    internal const int MAP_SHARED = 0x1;
    internal static readonly nint MAP_FAILED = -1;

    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    internal const int EFD_NONBLOCK = 0x800;
    internal const int EFD_CLOEXEC = 0x80000;

    internal const int SHUT_RDWR = 2;
    internal const int SIGHUP = 1;

    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_BASIC_STATS = 0x7ff;
    internal const ushort S_IFMT = 0xf000;
    internal const ushort S_IFREG = 0x8000;
    internal const ushort S_IFDIR = 0x4000;

    internal const int PRIO_PROCESS = 0;

    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;

    /// <summary>struct statx (linux/stat.h): the same layout on every architecture, unlike struct stat.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct statx_buffer
    {
        [FieldOffset(0)]
        public uint stx_mask;

        [FieldOffset(20)]
        public uint stx_uid;

        [FieldOffset(24)]
        public uint stx_gid;

        [FieldOffset(28)]
        public ushort stx_mode;

        [FieldOffset(40)]
        public ulong stx_size;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }

    // Returns a C int: wrapped by SafeFileDescriptor.Open (a SafeHandle return would read 64 bits).
    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string pathname, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint write(int fd, void* buf, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int fsync(int fd);

    // nfds_t is unsigned long.
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int poll(pollfd* fds, CULong nfds, int timeout);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    // ioctl is variadic in C; one pointer argument is passed identically on x86-64 and arm64 Linux.
    // A SafeFileDescriptor argument travels in a 64-bit register of which the callee reads the int.
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int ioctl(SafeFileDescriptor fd, CULong request, void* argp);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint mmap(nint addr, nuint length, int prot, int flags, SafeFileDescriptor fd, long offset);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int munmap(nint addr, nuint length);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int shutdown(int sockfd, int how);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int setenv(string name, string value, int overwrite);

    [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int dirfd, string pathname, int flags, uint mask, statx_buffer* statxbuf);

    [LibraryImport(LibraryName)]
    internal static partial uint geteuid();

    // Linux keeps the nice value per thread: PRIO_PROCESS with who 0 is the calling thread alone, and the threads it
    // creates start with its value. getpriority returns the nice value itself (−20..19), so −1 is an error only with errno.
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int getpriority(int which, uint who);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int setpriority(int which, uint who, int prio);
}
