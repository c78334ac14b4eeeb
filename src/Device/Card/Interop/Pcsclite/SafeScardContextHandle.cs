using System.Runtime.InteropServices;

namespace Reader.Card.Interop.Pcsclite;

/// <summary>An SCARDCONTEXT; released with SCardReleaseContext.</summary>
internal sealed class SafeScardContextHandle : SafeHandle
{
    public SafeScardContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => Pcsclite.SCardReleaseContext(handle).Value == 0;
}
