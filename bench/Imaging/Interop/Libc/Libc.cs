using System.Runtime.InteropServices;

namespace Reader.Imaging.Bench.Interop.Libc;

// glibc clock_gettime for per-thread CPU time. Native names verbatim; nothing else here.
internal static unsafe partial class Libc
{
    internal const int CLOCK_THREAD_CPUTIME_ID = 3;

    [LibraryImport("libc.so.6")]
    internal static partial int clock_gettime(int clockid, timespec* tp);

#pragma warning disable CS8981 // verbatim native name
    [StructLayout(LayoutKind.Sequential)]
    internal struct timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }
#pragma warning restore CS8981
}
