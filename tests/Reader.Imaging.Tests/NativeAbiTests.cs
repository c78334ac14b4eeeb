using System.Runtime.InteropServices;
using Reader.Imaging.Bench.Interop.Libpng;
using Reader.Imaging.Interop.Openjp2;
using Reader.Imaging.Interop.Turbojpeg;
using Reader.Tests.Shared;

namespace Reader.Imaging.Tests;

/// <summary>libturbojpeg, libopenjp2 and libpng (the bench's peer) declarations against the headers of x86-64 and arm64.</summary>
public sealed class NativeAbiTests
{
    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Turbojpeg_constants_match_the_headers_of(string target)
    {
        var probe = new NativeAbiProbe()
            .Include("turbojpeg.h")
            .Expect("TJPF_RGB", Turbojpeg.TJPF_RGB).Expect("TJPF_BGR", Turbojpeg.TJPF_BGR).Expect("TJPF_GRAY", Turbojpeg.TJPF_GRAY)
            .Expect("TJSAMP_444", Turbojpeg.TJSAMP_444).Expect("TJSAMP_422", Turbojpeg.TJSAMP_422)
            .Expect("TJSAMP_420", Turbojpeg.TJSAMP_420).Expect("TJSAMP_GRAY", Turbojpeg.TJSAMP_GRAY)
            .Expect("TJCS_CMYK", Turbojpeg.TJCS_CMYK).Expect("TJCS_YCCK", Turbojpeg.TJCS_YCCK)
            .Expect("TJFLAG_NOREALLOC", Turbojpeg.TJFLAG_NOREALLOC).Expect("TJFLAG_ACCURATEDCT", Turbojpeg.TJFLAG_ACCURATEDCT)
            .Expect("TJFLAG_STOPONWARNING", Turbojpeg.TJFLAG_STOPONWARNING)
            .Expect("TJERR_WARNING", Turbojpeg.TJERR_WARNING).Expect("TJERR_FATAL", Turbojpeg.TJERR_FATAL)
            // jpegSize parameters and tjBufSize's result are unsigned long: CULong in the binding.
            .Expect("sizeof(unsigned long)", Marshal.SizeOf<CULong>());

        Assert.Empty(await probe.MismatchesAsync(target));
    }

    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Openjp2_constants_and_layouts_match_the_headers_of(string target)
    {
        var probe = new NativeAbiProbe()
            .Include("openjpeg.h")
            .Expect("OPJ_TRUE", Openjp2.OPJ_TRUE).Expect("OPJ_FALSE", Openjp2.OPJ_FALSE)
            .Expect("OPJ_CODEC_J2K", Openjp2.OPJ_CODEC_J2K).Expect("OPJ_CODEC_JP2", Openjp2.OPJ_CODEC_JP2)
            .Expect("OPJ_CLRSPC_UNKNOWN", Openjp2.OPJ_CLRSPC_UNKNOWN).Expect("OPJ_CLRSPC_UNSPECIFIED", Openjp2.OPJ_CLRSPC_UNSPECIFIED)
            .Expect("OPJ_CLRSPC_SRGB", Openjp2.OPJ_CLRSPC_SRGB).Expect("OPJ_CLRSPC_GRAY", Openjp2.OPJ_CLRSPC_GRAY)
            .Expect("OPJ_CLRSPC_SYCC", Openjp2.OPJ_CLRSPC_SYCC).Expect("OPJ_CLRSPC_EYCC", Openjp2.OPJ_CLRSPC_EYCC)
            .Expect("OPJ_CLRSPC_CMYK", Openjp2.OPJ_CLRSPC_CMYK)
            // Stream callbacks and lengths: OPJ_SIZE_T is size_t (nuint), OPJ_OFF_T and OPJ_UINT64 are 64-bit.
            .Expect("sizeof(OPJ_SIZE_T)", IntPtr.Size).Expect("sizeof(OPJ_OFF_T)", sizeof(long)).Expect("sizeof(OPJ_UINT64)", sizeof(ulong))
            .Expect("sizeof(OPJ_BOOL)", sizeof(int)).Expect("sizeof(OPJ_COLOR_SPACE)", sizeof(int)).Expect("sizeof(OPJ_CODEC_FORMAT)", sizeof(int))
            .Layout<opj_cparameters_t>(
                "opj_cparameters_t",
                ("cp_disto_alloc", "cp_disto_alloc"), ("cp_fixed_alloc", "cp_fixed_alloc"), ("cp_fixed_quality", "cp_fixed_quality"),
                ("tcp_numlayers", "tcp_numlayers"), ("tcp_rates", "tcp_rates"), ("numresolution", "numresolution"),
                ("irreversible", "irreversible"), ("tcp_mct", "tcp_mct"))
            .Layout<opj_dparameters_t>("opj_dparameters_t", ("cp_reduce", "cp_reduce"), ("cp_layer", "cp_layer"), ("flags", "flags"))
            .Layout<opj_image_comp_t>(
                "opj_image_comp_t",
                ("dx", "dx"), ("dy", "dy"), ("w", "w"), ("h", "h"), ("x0", "x0"), ("y0", "y0"), ("prec", "prec"), ("bpp", "bpp"),
                ("sgnd", "sgnd"), ("resno_decoded", "resno_decoded"), ("factor", "factor"), ("data", "data"), ("alpha", "alpha"))
            .Layout<opj_image_t>(
                "opj_image_t",
                ("x0", "x0"), ("y0", "y0"), ("x1", "x1"), ("y1", "y1"), ("numcomps", "numcomps"), ("color_space", "color_space"),
                ("comps", "comps"), ("icc_profile_buf", "icc_profile_buf"), ("icc_profile_len", "icc_profile_len"))
            .Layout<opj_image_cmptparm_t>(
                "opj_image_cmptparm_t",
                ("dx", "dx"), ("dy", "dy"), ("w", "w"), ("h", "h"), ("x0", "x0"), ("y0", "y0"), ("prec", "prec"), ("bpp", "bpp"), ("sgnd", "sgnd"));

        Assert.Empty(await probe.MismatchesAsync(target));
    }

    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Libpng_simplified_api_matches_the_headers_of(string target)
    {
        var probe = new NativeAbiProbe()
            .Include("png.h")
            .Expect("PNG_IMAGE_VERSION", Libpng.PNG_IMAGE_VERSION).Expect("PNG_FORMAT_RGB", Libpng.PNG_FORMAT_RGB)
            .Layout<Libpng.png_image>(
                "png_image",
                ("opaque", "opaque"), ("version", "version"), ("width", "width"), ("height", "height"), ("format", "format"));

        Assert.Empty(await probe.MismatchesAsync(target));
    }
}
