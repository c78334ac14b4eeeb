using System.Runtime.InteropServices;

namespace Reader.Card.Interop.Pcsclite;

/// <summary>
/// pcsc-lite's SCARD_READERSTATE (PCSC/pcsclite.h): three DWORDs (C unsigned long) and an ATR buffer
/// of MAX_ATR_SIZE = 33 bytes. Natural alignment pads it to 80 bytes on LP64 (8+8+8+8+8+33 → 80) and
/// 52 bytes on ILP32; Windows' 36-byte rgbAtr does not apply here. A size test pins this.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SCARD_READERSTATE
{
    public nint szReader;
    public nint pvUserData;
    public CULong dwCurrentState;
    public CULong dwEventState;
    public CULong cbAtr;
    public fixed byte rgbAtr[PcscliteConstants.MAX_ATR_SIZE];
}

/// <summary>SCARD_IO_REQUEST: protocol and PCI length, both C unsigned long.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SCARD_IO_REQUEST
{
    public CULong dwProtocol;
    public CULong cbPciLength;
}
