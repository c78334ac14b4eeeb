using System.Runtime.CompilerServices;
using Reader.Card.Interop.Pcsclite;

namespace Reader.Card.Tests.Unit;

public class InteropLayoutTests
{
    [Fact]
    public void Readerstate_matches_pcsclite_on_this_platform()
    {
        // pcsclite.h: 2 pointers, 3 unsigned longs, rgbAtr[MAX_ATR_SIZE = 33], natural alignment.
        var expected = IntPtr.Size == 8 ? 80 : 52;
        Assert.Equal(expected, Unsafe.SizeOf<SCARD_READERSTATE>());
        Assert.Equal(IntPtr.Size * 2, Unsafe.SizeOf<SCARD_IO_REQUEST>());
    }
}
