using System.Runtime.InteropServices;

namespace Reader.Imaging.Interop.Openjp2;

// Layouts of openjpeg.h 2.5 on LP64 (x86-64 and arm64 Linux), offsets checked with offsetof():
// sizeof(opj_cparameters_t) 18720, sizeof(opj_dparameters_t) 8252, opj_image_comp_t 64, opj_image_t 48.
// Only the members this library reads or writes are declared; the library fills the rest with defaults.
#pragma warning disable SA1300, SA1307, IDE1006 // verbatim native names

[StructLayout(LayoutKind.Explicit, Size = 18720)]
internal unsafe struct opj_cparameters_t
{
    [FieldOffset(20)]
    public int cp_disto_alloc;

    [FieldOffset(24)]
    public int cp_fixed_alloc;

    [FieldOffset(28)]
    public int cp_fixed_quality;

    [FieldOffset(4796)]
    public int tcp_numlayers;

    [FieldOffset(4800)]
    public fixed float tcp_rates[100];

    [FieldOffset(5600)]
    public int numresolution;

    [FieldOffset(5616)]
    public int irreversible;

    [FieldOffset(18698)]
    public byte tcp_mct;
}

[StructLayout(LayoutKind.Explicit, Size = 8252)]
internal struct opj_dparameters_t
{
    [FieldOffset(0)]
    public uint cp_reduce;

    [FieldOffset(4)]
    public uint cp_layer;

    [FieldOffset(8248)]
    public uint flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct opj_image_comp_t
{
    public uint dx;
    public uint dy;
    public uint w;
    public uint h;
    public uint x0;
    public uint y0;
    public uint prec;
    public uint bpp;
    public uint sgnd;
    public uint resno_decoded;
    public uint factor;
    public int* data;
    public ushort alpha;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct opj_image_t
{
    public uint x0;
    public uint y0;
    public uint x1;
    public uint y1;
    public uint numcomps;
    public int color_space;
    public opj_image_comp_t* comps;
    public byte* icc_profile_buf;
    public uint icc_profile_len;
}

[StructLayout(LayoutKind.Sequential)]
internal struct opj_image_cmptparm_t
{
    public uint dx;
    public uint dy;
    public uint w;
    public uint h;
    public uint x0;
    public uint y0;
    public uint prec;
    public uint bpp;
    public uint sgnd;
}
#pragma warning restore SA1300, SA1307, IDE1006
