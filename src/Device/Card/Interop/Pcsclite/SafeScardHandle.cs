using System.Runtime.InteropServices;

namespace Reader.Card.Interop.Pcsclite;

/// <summary>An SCARDHANDLE; disconnected with SCardDisconnect using <see cref="Disposition"/> (unpower by default,
/// so a verified PIN never outlives the connection).</summary>
internal sealed class SafeScardHandle : SafeHandle
{
    public SafeScardHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    internal SafeScardHandle(nint existing)
        : base(nint.Zero, ownsHandle: true) => SetHandle(existing);

    public uint Disposition { get; set; } = PcscliteConstants.SCARD_UNPOWER_CARD;

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => Pcsclite.SCardDisconnect(handle, new CULong(Disposition)).Value == 0;
}
