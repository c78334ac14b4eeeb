using System.Runtime.InteropServices;

namespace Reader.Imaging.Interop.Turbojpeg;

// libturbojpeg 2.1 (Debian libturbojpeg0), turbojpeg.h. Native names verbatim; nothing else here.
internal static unsafe partial class Turbojpeg
{
    private const string Library = "libturbojpeg.so.0";

    internal const int TJPF_RGB = 0;
    internal const int TJPF_BGR = 1;
    internal const int TJPF_GRAY = 6;

    internal const int TJSAMP_444 = 0;
    internal const int TJSAMP_422 = 1;
    internal const int TJSAMP_420 = 2;
    internal const int TJSAMP_GRAY = 3;

    internal const int TJCS_CMYK = 3;
    internal const int TJCS_YCCK = 4;

    internal const int TJFLAG_NOREALLOC = 1024;
    internal const int TJFLAG_ACCURATEDCT = 4096;
    internal const int TJFLAG_STOPONWARNING = 8192;

    internal const int TJERR_WARNING = 0;
    internal const int TJERR_FATAL = 1;

    [LibraryImport(Library)]
    internal static partial SafeTurbojpegHandle tjInitDecompress();

    [LibraryImport(Library)]
    internal static partial SafeTurbojpegHandle tjInitCompress();

    [LibraryImport(Library)]
    internal static partial int tjDestroy(nint handle);

    // Frees a buffer libturbojpeg allocated (tjCompress2 without TJFLAG_NOREALLOC; the tests use it).
    [LibraryImport(Library)]
    internal static partial void tjFree(byte* buffer);

    [LibraryImport(Library)]
    internal static partial int tjDecompressHeader3(SafeTurbojpegHandle handle, byte* jpegBuf, CULong jpegSize,
        out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [LibraryImport(Library)]
    internal static partial int tjDecompress2(SafeTurbojpegHandle handle, byte* jpegBuf, CULong jpegSize,
        byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    internal static partial int tjCompress2(SafeTurbojpegHandle handle, byte* srcBuf, int width, int pitch, int height,
        int pixelFormat, byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(Library)]
    internal static partial CULong tjBufSize(int width, int height, int jpegSubsamp);

    [LibraryImport(Library)]
    internal static partial byte* tjGetErrorStr2(SafeTurbojpegHandle handle);

    [LibraryImport(Library)]
    internal static partial int tjGetErrorCode(SafeTurbojpegHandle handle);
}
