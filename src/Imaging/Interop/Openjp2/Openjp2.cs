using System.Runtime.InteropServices;

namespace Reader.Imaging.Interop.Openjp2;

// libopenjp2 2.5 (Debian libopenjp2-7), openjpeg.h. Native names verbatim; nothing else here.
internal static unsafe partial class Openjp2
{
    private const string Library = "libopenjp2.so.7";

    internal const int OPJ_TRUE = 1;
    internal const int OPJ_FALSE = 0;

    internal const int OPJ_CODEC_J2K = 0;
    internal const int OPJ_CODEC_JP2 = 2;

    internal const int OPJ_CLRSPC_UNKNOWN = -1;
    internal const int OPJ_CLRSPC_UNSPECIFIED = 0;
    internal const int OPJ_CLRSPC_SRGB = 1;
    internal const int OPJ_CLRSPC_GRAY = 2;
    internal const int OPJ_CLRSPC_SYCC = 3;
    internal const int OPJ_CLRSPC_EYCC = 4;
    internal const int OPJ_CLRSPC_CMYK = 5;

    [LibraryImport(Library)]
    internal static partial nint opj_version();

    [LibraryImport(Library)]
    internal static partial SafeOpjStreamHandle opj_stream_create(nuint p_buffer_size, int p_is_input);

    [LibraryImport(Library)]
    internal static partial void opj_stream_destroy(nint p_stream);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_read_function(SafeOpjStreamHandle p_stream, delegate* unmanaged<void*, nuint, void*, nuint> p_function);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_write_function(SafeOpjStreamHandle p_stream, delegate* unmanaged<void*, nuint, void*, nuint> p_function);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_skip_function(SafeOpjStreamHandle p_stream, delegate* unmanaged<long, void*, long> p_function);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_seek_function(SafeOpjStreamHandle p_stream, delegate* unmanaged<long, void*, int> p_function);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_user_data(SafeOpjStreamHandle p_stream, void* p_data, void* p_function);

    [LibraryImport(Library)]
    internal static partial void opj_stream_set_user_data_length(SafeOpjStreamHandle p_stream, ulong data_length);

    [LibraryImport(Library)]
    internal static partial SafeOpjCodecHandle opj_create_decompress(int format);

    [LibraryImport(Library)]
    internal static partial SafeOpjCodecHandle opj_create_compress(int format);

    [LibraryImport(Library)]
    internal static partial void opj_destroy_codec(nint p_codec);

    [LibraryImport(Library)]
    internal static partial int opj_set_error_handler(SafeOpjCodecHandle p_codec, delegate* unmanaged<byte*, void*, void> p_callback, void* p_user_data);

    [LibraryImport(Library)]
    internal static partial void opj_set_default_decoder_parameters(opj_dparameters_t* parameters);

    [LibraryImport(Library)]
    internal static partial int opj_setup_decoder(SafeOpjCodecHandle p_codec, opj_dparameters_t* parameters);

    [LibraryImport(Library)]
    internal static partial int opj_decoder_set_strict_mode(SafeOpjCodecHandle p_codec, int strict);

    [LibraryImport(Library)]
    internal static partial int opj_read_header(SafeOpjStreamHandle p_stream, SafeOpjCodecHandle p_codec, out SafeOpjImageHandle p_image);

    [LibraryImport(Library)]
    internal static partial int opj_decode(SafeOpjCodecHandle p_decompressor, SafeOpjStreamHandle p_stream, SafeOpjImageHandle p_image);

    [LibraryImport(Library)]
    internal static partial int opj_end_decompress(SafeOpjCodecHandle p_codec, SafeOpjStreamHandle p_stream);

    [LibraryImport(Library)]
    internal static partial void opj_set_default_encoder_parameters(opj_cparameters_t* parameters);

    [LibraryImport(Library)]
    internal static partial int opj_setup_encoder(SafeOpjCodecHandle p_codec, opj_cparameters_t* parameters, SafeOpjImageHandle image);

    [LibraryImport(Library)]
    internal static partial int opj_start_compress(SafeOpjCodecHandle p_codec, SafeOpjImageHandle p_image, SafeOpjStreamHandle p_stream);

    [LibraryImport(Library)]
    internal static partial int opj_encode(SafeOpjCodecHandle p_codec, SafeOpjStreamHandle p_stream);

    [LibraryImport(Library)]
    internal static partial int opj_end_compress(SafeOpjCodecHandle p_codec, SafeOpjStreamHandle p_stream);

    [LibraryImport(Library)]
    internal static partial SafeOpjImageHandle opj_image_create(uint numcmpts, opj_image_cmptparm_t* cmptparms, int clrspc);

    [LibraryImport(Library)]
    internal static partial void opj_image_destroy(nint image);
}
