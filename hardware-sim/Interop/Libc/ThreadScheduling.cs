using System.Runtime.InteropServices;

namespace Reader.HardwareSim.Interop.Libc;

/// <summary>
/// The calling thread's nice value (Linux: <c>setpriority(PRIO_PROCESS, gettid(), n)</c> applies to one thread).
/// .NET's <c>Thread.Priority</c> does nothing for ordinary Linux threads, so the simulator asks the kernel itself.
/// </summary>
internal static partial class ThreadScheduling
{
    private const string Library = "libc";
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value; false where the OS or the process's rights do not allow it.</summary>
    public static bool TryRaiseCurrentThread(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return setpriority(PrioProcess, (uint)gettid(), nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Library)]
    private static partial int gettid();

    [LibraryImport(Library, SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);
}
