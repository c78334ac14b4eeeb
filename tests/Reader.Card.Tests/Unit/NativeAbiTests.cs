using System.Runtime.InteropServices;
using Reader.Card.Interop.Pcsclite;
using Reader.Tests.Shared;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// pcsc-lite's types on x86-64 and arm64: DWORD and LONG are C long there (8 bytes), so SCARD_READERSTATE is 80
/// bytes on both; the constants are checked against PCSC/pcsclite.h and the part 10 ones against PCSC/reader.h of each architecture.
/// </summary>
public sealed class NativeAbiTests
{
    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Pcsclite_types_structs_and_constants_match_the_headers_of(string target)
    {
        var probe = new NativeAbiProbe()
            .Include("winscard.h").Include("reader.h")
            .Expect("sizeof(DWORD)", Marshal.SizeOf<CULong>()).Expect("sizeof(LONG)", Marshal.SizeOf<CLong>())
            .Expect("sizeof(SCARDCONTEXT)", IntPtr.Size).Expect("sizeof(SCARDHANDLE)", IntPtr.Size)
            .Layout<SCARD_READERSTATE>(
                "SCARD_READERSTATE",
                ("szReader", "szReader"), ("pvUserData", "pvUserData"), ("dwCurrentState", "dwCurrentState"),
                ("dwEventState", "dwEventState"), ("cbAtr", "cbAtr"), ("rgbAtr", "rgbAtr"))
            .Layout<SCARD_IO_REQUEST>("SCARD_IO_REQUEST", ("dwProtocol", "dwProtocol"), ("cbPciLength", "cbPciLength"))
            .Expect("MAX_ATR_SIZE", PcscliteConstants.MAX_ATR_SIZE).Expect("MAX_READERNAME", PcscliteConstants.MAX_READERNAME)
            .Expect("INFINITE", PcscliteConstants.INFINITE)

            // PC/SC part 10 (reader.h): how the reader says it carries extended APDUs.
            .Expect("SCARD_CTL_CODE(0)", PcscliteConstants.SCARD_CTL_CODE_BASE)
            .Expect("CM_IOCTL_GET_FEATURE_REQUEST", PcscliteConstants.CM_IOCTL_GET_FEATURE_REQUEST)
            .Expect("FEATURE_GET_TLV_PROPERTIES", PcscliteConstants.FEATURE_GET_TLV_PROPERTIES)
            .Expect("PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize", PcscliteConstants.PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize);
        foreach (var constant in typeof(PcscliteConstants).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(uint) && f.Name.StartsWith("SCARD_", StringComparison.Ordinal)
            && f.Name != nameof(PcscliteConstants.SCARD_CTL_CODE_BASE)))
        {
            probe.Expect(constant.Name, (uint)constant.GetRawConstantValue()!);
        }

        Assert.Empty(await probe.MismatchesAsync(target));
    }
}
