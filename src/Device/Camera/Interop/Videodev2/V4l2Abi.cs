using System.Runtime.InteropServices;

namespace Reader.Camera.Interop.Videodev2;

// linux/videodev2.h (kernel 6.1 UAPI) on LP64; sizes checked with sizeof(): v4l2_capability 104,
// v4l2_fmtdesc 64, v4l2_frmsizeenum 44, v4l2_format 208, v4l2_streamparm 204, v4l2_requestbuffers 20,
// v4l2_buffer 88. Ioctl numbers are _IOC(dir, 'V', nr, size), identical on x86-64 and arm64.
#pragma warning disable SA1300, SA1307, SA1310, IDE1006, CS8981 // verbatim native names
internal static class V4l2Abi
{
    internal const uint VIDIOC_QUERYCAP = 0x80685600;
    internal const uint VIDIOC_ENUM_FMT = 0xc0405602;
    internal const uint VIDIOC_ENUM_FRAMESIZES = 0xc02c564a;
    internal const uint VIDIOC_S_FMT = 0xc0d05605;
    internal const uint VIDIOC_S_PARM = 0xc0cc5616;
    internal const uint VIDIOC_REQBUFS = 0xc0145608;
    internal const uint VIDIOC_QUERYBUF = 0xc0585609;
    internal const uint VIDIOC_QBUF = 0xc058560f;
    internal const uint VIDIOC_DQBUF = 0xc0585611;
    internal const uint VIDIOC_STREAMON = 0x40045612;
    internal const uint VIDIOC_STREAMOFF = 0x40045613;

    internal const uint V4L2_CAP_VIDEO_CAPTURE = 0x1;
    internal const uint V4L2_CAP_STREAMING = 0x4000000;
    internal const uint V4L2_CAP_DEVICE_CAPS = 0x80000000;
    internal const uint V4L2_CAP_TIMEPERFRAME = 0x1000;

    internal const uint V4L2_BUF_TYPE_VIDEO_CAPTURE = 1;
    internal const uint V4L2_MEMORY_MMAP = 1;
    internal const uint V4L2_FIELD_ANY = 0;
    internal const uint V4L2_FRMSIZE_TYPE_DISCRETE = 1;
    internal const uint V4L2_BUF_FLAG_ERROR = 0x40;

    internal const uint V4L2_PIX_FMT_MJPEG = 0x47504a4d;
    internal const uint V4L2_PIX_FMT_JPEG = 0x4745504a;
    internal const uint V4L2_PIX_FMT_YUYV = 0x56595559;
    internal const uint V4L2_PIX_FMT_GREY = 0x59455247;
}

[StructLayout(LayoutKind.Explicit, Size = 104)]
internal struct v4l2_capability
{
    [FieldOffset(84)]
    public uint capabilities;

    [FieldOffset(88)]
    public uint device_caps;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct v4l2_fmtdesc
{
    [FieldOffset(0)]
    public uint index;

    [FieldOffset(4)]
    public uint type;

    [FieldOffset(8)]
    public uint flags;

    [FieldOffset(44)]
    public uint pixelformat;
}

[StructLayout(LayoutKind.Explicit, Size = 44)]
internal struct v4l2_frmsizeenum
{
    [FieldOffset(0)]
    public uint index;

    [FieldOffset(4)]
    public uint pixel_format;

    [FieldOffset(8)]
    public uint type;

    // union { struct v4l2_frmsize_discrete discrete; struct v4l2_frmsize_stepwise stepwise; }
    [FieldOffset(12)]
    public uint discrete_width;

    [FieldOffset(16)]
    public uint discrete_height;

    [FieldOffset(12)]
    public uint stepwise_min_width;

    [FieldOffset(16)]
    public uint stepwise_max_width;

    [FieldOffset(20)]
    public uint stepwise_step_width;

    [FieldOffset(24)]
    public uint stepwise_min_height;

    [FieldOffset(28)]
    public uint stepwise_max_height;

    [FieldOffset(32)]
    public uint stepwise_step_height;
}

[StructLayout(LayoutKind.Explicit, Size = 208)]
internal struct v4l2_format
{
    [FieldOffset(0)]
    public uint type;

    // fmt.pix (struct v4l2_pix_format)
    [FieldOffset(8)]
    public uint width;

    [FieldOffset(12)]
    public uint height;

    [FieldOffset(16)]
    public uint pixelformat;

    [FieldOffset(20)]
    public uint field;

    [FieldOffset(24)]
    public uint bytesperline;

    [FieldOffset(28)]
    public uint sizeimage;
}

[StructLayout(LayoutKind.Explicit, Size = 204)]
internal struct v4l2_streamparm
{
    [FieldOffset(0)]
    public uint type;

    // parm.capture (struct v4l2_captureparm)
    [FieldOffset(4)]
    public uint capability;

    [FieldOffset(12)]
    public uint timeperframe_numerator;

    [FieldOffset(16)]
    public uint timeperframe_denominator;
}

[StructLayout(LayoutKind.Explicit, Size = 20)]
internal struct v4l2_requestbuffers
{
    [FieldOffset(0)]
    public uint count;

    [FieldOffset(4)]
    public uint type;

    [FieldOffset(8)]
    public uint memory;
}

[StructLayout(LayoutKind.Explicit, Size = 88)]
internal struct v4l2_buffer
{
    [FieldOffset(0)]
    public uint index;

    [FieldOffset(4)]
    public uint type;

    [FieldOffset(8)]
    public uint bytesused;

    [FieldOffset(12)]
    public uint flags;

    [FieldOffset(16)]
    public uint field;

    // struct timeval: tv_sec, tv_usec (both long on LP64)
    [FieldOffset(24)]
    public long timestamp_sec;

    [FieldOffset(32)]
    public long timestamp_usec;

    [FieldOffset(56)]
    public uint sequence;

    [FieldOffset(60)]
    public uint memory;

    // m.offset for V4L2_MEMORY_MMAP
    [FieldOffset(64)]
    public uint m_offset;

    [FieldOffset(72)]
    public uint length;
}
#pragma warning restore SA1300, SA1307, SA1310, IDE1006, CS8981
