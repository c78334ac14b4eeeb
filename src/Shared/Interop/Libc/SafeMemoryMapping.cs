using System.Runtime.InteropServices;

namespace Reader.Shared.Interop.Libc;

/// <summary>A region from mmap(2), unmapped with munmap(2).</summary>
internal sealed class SafeMemoryMapping : SafeHandle
{
    /// <summary>Used by the marshaller.</summary>
    public SafeMemoryMapping()
        : base(Libc.MAP_FAILED, ownsHandle: true)
    {
    }

    internal nuint Length { get; private set; }

    public override bool IsInvalid => handle == Libc.MAP_FAILED || handle == 0;

    internal nint Address => handle;

    /// <summary>Maps <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="fd"/>, shared,
    /// read-write; an invalid mapping on failure, errno in the last P/Invoke error.</summary>
    internal static SafeMemoryMapping Map(SafeFileDescriptor fd, nuint length, long offset)
    {
        var mapping = new SafeMemoryMapping();
        nint address = Libc.mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, offset);
        if (address != Libc.MAP_FAILED)
        {
            mapping.SetHandle(address);
            mapping.Length = length;
        }

        return mapping;
    }

    protected override bool ReleaseHandle() => Libc.munmap(handle, Length) == 0;
}
