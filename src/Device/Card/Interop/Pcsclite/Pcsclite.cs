using System.Runtime.InteropServices;

namespace Reader.Card.Interop.Pcsclite;

/// <summary>
/// libpcsclite.so.1 entry points, verbatim. pcsc-lite declares LONG as C <c>long</c> and DWORD as
/// C <c>unsigned long</c> (64-bit on LP64, 32-bit on ARM32), hence <see cref="CLong"/> / <see cref="CULong"/>.
/// SCARDCONTEXT and SCARDHANDLE are C <c>long</c> too, which is pointer-sized on Linux: they live in SafeHandles.
/// </summary>
internal static unsafe partial class Pcsclite
{
    internal const string Library = "libpcsclite.so.1";

    [LibraryImport(Library)]
    internal static partial CLong SCardEstablishContext(CULong dwScope, nint pvReserved1, nint pvReserved2, out SafeScardContextHandle phContext);

    [LibraryImport(Library)]
    internal static partial CLong SCardReleaseContext(nint hContext);

    [LibraryImport(Library)]
    internal static partial CLong SCardIsValidContext(SafeScardContextHandle hContext);

    [LibraryImport(Library)]
    internal static partial CLong SCardListReaders(SafeScardContextHandle hContext, byte* mszGroups, byte* mszReaders, CULong* pcchReaders);

    [LibraryImport(Library)]
    internal static partial CLong SCardGetStatusChange(SafeScardContextHandle hContext, CULong dwTimeout, SCARD_READERSTATE* rgReaderStates, CULong cReaders);

    [LibraryImport(Library)]
    internal static partial CLong SCardCancel(SafeScardContextHandle hContext);

    [LibraryImport(Library)]
    internal static partial CLong SCardConnect(SafeScardContextHandle hContext, byte* szReader, CULong dwShareMode, CULong dwPreferredProtocols, out nint phCard, CULong* pdwActiveProtocol);

    [LibraryImport(Library)]
    internal static partial CLong SCardReconnect(SafeScardHandle hCard, CULong dwShareMode, CULong dwPreferredProtocols, CULong dwInitialization, CULong* pdwActiveProtocol);

    [LibraryImport(Library)]
    internal static partial CLong SCardDisconnect(nint hCard, CULong dwDisposition);

    [LibraryImport(Library)]
    internal static partial CLong SCardTransmit(SafeScardHandle hCard, SCARD_IO_REQUEST* pioSendPci, byte* pbSendBuffer, CULong cbSendLength, SCARD_IO_REQUEST* pioRecvPci, byte* pbRecvBuffer, CULong* pcbRecvLength);

    [LibraryImport(Library)]
    internal static partial CLong SCardControl(SafeScardHandle hCard, CULong dwControlCode, byte* pbSendBuffer, CULong cbSendLength, byte* pbRecvBuffer, CULong cbRecvLength, CULong* lpBytesReturned);

    [LibraryImport(Library)]
    internal static partial CLong SCardStatus(SafeScardHandle hCard, byte* szReaderName, CULong* pcchReaderLen, CULong* pdwState, CULong* pdwProtocol, byte* pbAtr, CULong* pcbAtrLen);
}
