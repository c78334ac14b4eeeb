using System.Runtime.InteropServices;

namespace Reader.Imaging.Interop.Webp;

// libwebp 1.2 (Debian libwebp7), webp/decode.h simple decoding API. Native names verbatim; nothing else here.
// These calls keep no state between calls, so there is no native object to wrap in a SafeHandle.
internal static unsafe partial class Webp
{
    private const string Library = "libwebp.so.7";

    [LibraryImport(Library)]
    internal static partial int WebPGetInfo(byte* data, nuint data_size, out int width, out int height);

    [LibraryImport(Library)]
    internal static partial byte* WebPDecodeRGBInto(byte* data, nuint data_size, byte* output_buffer, nuint output_buffer_size, int output_stride);

    [LibraryImport(Library)]
    internal static partial byte* WebPDecodeBGRInto(byte* data, nuint data_size, byte* output_buffer, nuint output_buffer_size, int output_stride);

    // Encoders and the matching free: used by the tests as an oracle (the product only decodes).
    [LibraryImport(Library)]
    internal static partial nuint WebPEncodeLosslessRGB(byte* rgb, int width, int height, int stride, byte** output);

    [LibraryImport(Library)]
    internal static partial nuint WebPEncodeRGB(byte* rgb, int width, int height, int stride, float quality_factor, byte** output);

    [LibraryImport(Library)]
    internal static partial void WebPFree(void* ptr);
}
