using System.Runtime.InteropServices;

#pragma warning disable CS8981 // verbatim native names

namespace Reader.Protocol.Interop.Libc;

/// <summary>The few glibc calls the network loop and the outbox need (poll, eventfd, directory fsync).</summary>
internal static unsafe partial class Libc
{
    internal const string LibraryName = "libc.so.6";

    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    internal const int O_RDONLY = 0;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;

    internal const int EINTR = 4;

    [StructLayout(LayoutKind.Sequential)]
    internal struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int poll(pollfd* fds, nuint nfds, int timeout);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint write(int fd, void* buf, nuint count);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string pathname, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int fsync(int fd);

    internal const int SHUT_RDWR = 2;
    internal const int SIGHUP = 1;

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int shutdown(int sockfd, int how);
}
