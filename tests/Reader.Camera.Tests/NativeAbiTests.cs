using System.Runtime.InteropServices;
using Reader.Camera.Interop.Videodev2;
using Reader.Shared.Interop.Libc;
using Reader.Tests.Shared;

namespace Reader.Camera.Tests;

/// <summary>
/// Our libc and V4L2 declarations against the C headers of x86-64 and arm64 (the board): a constant or layout
/// that differs by architecture must not be hard-coded with one architecture's value.
/// </summary>
public sealed class NativeAbiTests
{
    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Libc_constants_and_structs_match_the_headers_of(string target)
    {
        var flags = Libc.ForArchitecture(target.StartsWith("aarch64", StringComparison.Ordinal) ? Architecture.Arm64 : Architecture.X64);
        Assert.NotNull(flags);
        var probe = new NativeAbiProbe()
            .Include("fcntl.h").Include("sys/mman.h").Include("poll.h").Include("sys/eventfd.h")
            .Include("sys/socket.h").Include("signal.h").Include("errno.h").Include("sys/resource.h")
            .Expect("O_RDONLY", Libc.O_RDONLY).Expect("O_RDWR", Libc.O_RDWR).Expect("O_NONBLOCK", Libc.O_NONBLOCK)
            .Expect("O_CLOEXEC", Libc.O_CLOEXEC).Expect("O_DIRECTORY", flags.Value.O_DIRECTORY)
            .Expect("PROT_READ", Libc.PROT_READ).Expect("PROT_WRITE", Libc.PROT_WRITE).Expect("MAP_SHARED", Libc.MAP_SHARED)
            .Expect("POLLIN", Libc.POLLIN).Expect("POLLOUT", Libc.POLLOUT).Expect("POLLERR", Libc.POLLERR)
            .Expect("POLLHUP", Libc.POLLHUP).Expect("POLLNVAL", Libc.POLLNVAL)
            .Expect("EFD_NONBLOCK", Libc.EFD_NONBLOCK).Expect("EFD_CLOEXEC", Libc.EFD_CLOEXEC)
            .Expect("SHUT_RDWR", Libc.SHUT_RDWR).Expect("SIGHUP", Libc.SIGHUP).Expect("PRIO_PROCESS", Libc.PRIO_PROCESS)
            .Expect("EINTR", Libc.EINTR).Expect("EAGAIN", Libc.EAGAIN).Expect("ENODEV", Libc.ENODEV).Expect("EINVAL", Libc.EINVAL)
            // The C types behind our parameter types: nfds_t and ioctl's request are unsigned long (CULong), off_t is 64-bit.
            .Expect("sizeof(nfds_t)", Marshal.SizeOf<CULong>()).Expect("sizeof(off_t)", sizeof(long)).Expect("sizeof(size_t)", IntPtr.Size)
            .Layout<Libc.pollfd>("struct pollfd", ("fd", "fd"), ("events", "events"), ("revents", "revents"))

            // statx (the anti-rollback floor's owner check, Reader.Firmware).
            .Include("sys/stat.h")
            .Expect("AT_FDCWD", Libc.AT_FDCWD).Expect("AT_SYMLINK_NOFOLLOW", Libc.AT_SYMLINK_NOFOLLOW)
            .Expect("STATX_BASIC_STATS", Libc.STATX_BASIC_STATS)
            .Expect("S_IFMT", Libc.S_IFMT).Expect("S_IFREG", Libc.S_IFREG).Expect("S_IFDIR", Libc.S_IFDIR)
            .Layout<Libc.statx_buffer>(
                "struct statx",
                ("stx_mask", "stx_mask"), ("stx_uid", "stx_uid"), ("stx_gid", "stx_gid"), ("stx_mode", "stx_mode"), ("stx_size", "stx_size"));

        Assert.Empty(await probe.MismatchesAsync(target));
    }

    [NativeAbiTheory]
    [InlineData("x86_64-linux-gnu")]
    [InlineData("aarch64-linux-gnu")]
    public async Task Videodev2_ioctls_and_layouts_match_the_headers_of(string target)
    {
        var probe = new NativeAbiProbe()
            .Include("linux/videodev2.h")
            .Expect("VIDIOC_QUERYCAP", V4l2Abi.VIDIOC_QUERYCAP).Expect("VIDIOC_ENUM_FMT", V4l2Abi.VIDIOC_ENUM_FMT)
            .Expect("VIDIOC_ENUM_FRAMESIZES", V4l2Abi.VIDIOC_ENUM_FRAMESIZES).Expect("VIDIOC_S_FMT", V4l2Abi.VIDIOC_S_FMT)
            .Expect("VIDIOC_S_PARM", V4l2Abi.VIDIOC_S_PARM).Expect("VIDIOC_REQBUFS", V4l2Abi.VIDIOC_REQBUFS)
            .Expect("VIDIOC_QUERYBUF", V4l2Abi.VIDIOC_QUERYBUF).Expect("VIDIOC_QBUF", V4l2Abi.VIDIOC_QBUF)
            .Expect("VIDIOC_DQBUF", V4l2Abi.VIDIOC_DQBUF).Expect("VIDIOC_STREAMON", V4l2Abi.VIDIOC_STREAMON)
            .Expect("VIDIOC_STREAMOFF", V4l2Abi.VIDIOC_STREAMOFF)
            .Expect("V4L2_CAP_VIDEO_CAPTURE", V4l2Abi.V4L2_CAP_VIDEO_CAPTURE).Expect("V4L2_CAP_STREAMING", V4l2Abi.V4L2_CAP_STREAMING)
            .Expect("V4L2_CAP_DEVICE_CAPS", V4l2Abi.V4L2_CAP_DEVICE_CAPS).Expect("V4L2_CAP_TIMEPERFRAME", V4l2Abi.V4L2_CAP_TIMEPERFRAME)
            .Expect("V4L2_BUF_TYPE_VIDEO_CAPTURE", V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE).Expect("V4L2_MEMORY_MMAP", V4l2Abi.V4L2_MEMORY_MMAP)
            .Expect("V4L2_FIELD_ANY", V4l2Abi.V4L2_FIELD_ANY).Expect("V4L2_FRMSIZE_TYPE_DISCRETE", V4l2Abi.V4L2_FRMSIZE_TYPE_DISCRETE)
            .Expect("V4L2_BUF_FLAG_ERROR", V4l2Abi.V4L2_BUF_FLAG_ERROR)
            .Expect("V4L2_PIX_FMT_MJPEG", V4l2Abi.V4L2_PIX_FMT_MJPEG).Expect("V4L2_PIX_FMT_JPEG", V4l2Abi.V4L2_PIX_FMT_JPEG)
            .Expect("V4L2_PIX_FMT_YUYV", V4l2Abi.V4L2_PIX_FMT_YUYV).Expect("V4L2_PIX_FMT_GREY", V4l2Abi.V4L2_PIX_FMT_GREY)
            .Layout<v4l2_capability>("struct v4l2_capability", ("capabilities", "capabilities"), ("device_caps", "device_caps"))
            .Layout<v4l2_fmtdesc>("struct v4l2_fmtdesc", ("index", "index"), ("type", "type"), ("flags", "flags"), ("pixelformat", "pixelformat"))
            .Layout<v4l2_frmsizeenum>(
                "struct v4l2_frmsizeenum",
                ("index", "index"), ("pixel_format", "pixel_format"), ("type", "type"),
                ("discrete_width", "discrete.width"), ("discrete_height", "discrete.height"),
                ("stepwise_min_width", "stepwise.min_width"), ("stepwise_max_width", "stepwise.max_width"),
                ("stepwise_step_width", "stepwise.step_width"), ("stepwise_min_height", "stepwise.min_height"),
                ("stepwise_max_height", "stepwise.max_height"), ("stepwise_step_height", "stepwise.step_height"))
            .Layout<v4l2_format>(
                "struct v4l2_format",
                ("type", "type"), ("width", "fmt.pix.width"), ("height", "fmt.pix.height"), ("pixelformat", "fmt.pix.pixelformat"),
                ("field", "fmt.pix.field"), ("bytesperline", "fmt.pix.bytesperline"), ("sizeimage", "fmt.pix.sizeimage"))
            .Layout<v4l2_streamparm>(
                "struct v4l2_streamparm",
                ("type", "type"), ("capability", "parm.capture.capability"),
                ("timeperframe_numerator", "parm.capture.timeperframe.numerator"),
                ("timeperframe_denominator", "parm.capture.timeperframe.denominator"))
            .Layout<v4l2_requestbuffers>("struct v4l2_requestbuffers", ("count", "count"), ("type", "type"), ("memory", "memory"))
            .Layout<v4l2_buffer>(
                "struct v4l2_buffer",
                ("index", "index"), ("type", "type"), ("bytesused", "bytesused"), ("flags", "flags"), ("field", "field"),
                ("timestamp_sec", "timestamp.tv_sec"), ("timestamp_usec", "timestamp.tv_usec"), ("sequence", "sequence"),
                ("memory", "memory"), ("m_offset", "m.offset"), ("length", "length"));

        Assert.Empty(await probe.MismatchesAsync(target));
    }

    [NativeAbiTheory]
    [InlineData("aarch64-linux-gnu")]
    public async Task The_probe_catches_the_x86_64_O_DIRECTORY_on(string target)
    {
        // Issue 9: 0x10000 hard-coded for every architecture made the first durable write on the board fail.
        var mismatches = await new NativeAbiProbe().Include("fcntl.h").Expect("O_DIRECTORY", 0x10000).MismatchesAsync(target);
        Assert.Contains(mismatches, m => m.Contains("O_DIRECTORY", StringComparison.Ordinal));
    }

    [Fact]
    public void O_DIRECTORY_of_this_process_refuses_a_regular_file_and_opens_a_folder()
    {
        // The value this process uses means O_DIRECTORY to the kernel it runs on (0x10000 would be O_DIRECT on arm64).
        string file = Path.GetTempFileName();
        try
        {
            using var folder = SafeFileDescriptor.Open(Path.GetTempPath(), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            Assert.False(folder.IsInvalid);
            using var notAFolder = SafeFileDescriptor.Open(file, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            Assert.True(notAFolder.IsInvalid);
            Assert.Equal(20, Marshal.GetLastPInvokeError()); // ENOTDIR
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_architecture_without_a_table_fails_closed()
    {
        Assert.Null(Libc.ForArchitecture(Architecture.S390x));
        Assert.NotNull(Libc.ForArchitecture(Architecture.X64));
        Assert.NotNull(Libc.ForArchitecture(Architecture.Arm64));
    }
}
