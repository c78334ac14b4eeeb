using System.Runtime.InteropServices;

#pragma warning disable CS8981 // verbatim native names

namespace Reader.Shared.Interop.Libc;

// Constants whose value depends on the CPU architecture. x86 keeps its own fcntl.h values, arm64 uses
// asm-generic/fcntl.h: 0x10000 is O_DIRECTORY on x86-64 but O_DIRECT on arm64. They are taken for the
// architecture the process runs on, and an architecture without a table fails closed.
internal static partial class Libc
{
    /// <summary>open(2) flags that differ by architecture.</summary>
    internal readonly record struct ArchitectureFlags(int O_DIRECTORY);

    /// <summary>O_DIRECTORY for this process's architecture.</summary>
    /// <exception cref="PlatformNotSupportedException">An architecture we have no table for.</exception>
    internal static int O_DIRECTORY => Current.O_DIRECTORY;

    private static ArchitectureFlags Current =>
        ForArchitecture(RuntimeInformation.ProcessArchitecture)
        ?? throw new PlatformNotSupportedException($"libc open(2) flags for {RuntimeInformation.ProcessArchitecture} are not known to this build");

    /// <summary>The values for <paramref name="architecture"/>, or null when we do not know them.</summary>
    internal static ArchitectureFlags? ForArchitecture(Architecture architecture) => architecture switch
    {
        Architecture.X64 => new ArchitectureFlags(O_DIRECTORY: 0x10000), // arch/x86/include/uapi/asm/fcntl.h: 0200000
        Architecture.Arm64 => new ArchitectureFlags(O_DIRECTORY: 0x4000), // arch/arm64/include/uapi/asm/fcntl.h: 040000
        _ => null,
    };
}
