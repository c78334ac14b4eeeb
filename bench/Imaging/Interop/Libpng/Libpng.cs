using System.Runtime.InteropServices;

namespace Reader.Imaging.Bench.Interop.Libpng;

// libpng 1.6 simplified read API (png.h), the bench's peer for our managed PNG decoder.
// Native names verbatim; nothing else here.
internal static unsafe partial class Libpng
{
    private const string Library = "libpng16.so.16";

    internal const uint PNG_IMAGE_VERSION = 1;
    internal const uint PNG_FORMAT_RGB = 2;

    [LibraryImport(Library)]
    internal static partial int png_image_begin_read_from_memory(png_image* image, byte* memory, nuint size);

    [LibraryImport(Library)]
    internal static partial int png_image_finish_read(png_image* image, void* background, byte* buffer, int row_stride, void* colormap);

    [LibraryImport(Library)]
    internal static partial void png_image_free(png_image* image);

    // sizeof(png_image) 104 on LP64: opaque @0, version @8, width @12, height @16, format @20, ... message[64] @36.
    [StructLayout(LayoutKind.Explicit, Size = 104)]
#pragma warning disable CS8981 // verbatim native name
    internal struct png_image
#pragma warning restore CS8981
    {
        [FieldOffset(0)]
        public nint opaque;

        [FieldOffset(8)]
        public uint version;

        [FieldOffset(12)]
        public uint width;

        [FieldOffset(16)]
        public uint height;

        [FieldOffset(20)]
        public uint format;
    }
}
