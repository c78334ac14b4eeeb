using System.Runtime.InteropServices;
using Reader.Camera.Interop.Videodev2;
using Reader.Shared.Interop.Libc;

namespace Reader.Camera.V4l2;

/// <summary>Thin, typed V4L2 ioctls on one open device node (hardware-only code: kept minimal).</summary>
internal sealed unsafe class V4l2Device : IDisposable
{
    private readonly SafeFileDescriptor fd;

    private V4l2Device(SafeFileDescriptor fd, string path)
    {
        this.fd = fd;
        Path = path;
    }

    internal string Path { get; }

    internal SafeFileDescriptor Descriptor => fd;

    internal static V4l2Device Open(string path)
    {
        var fd = SafeFileDescriptor.Open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw new CameraException(CameraErrorCode.DeviceMissing, $"{path}: cannot open (errno {errno})");
        }

        return new V4l2Device(fd, path);
    }

    /// <summary>Fails unless the node is a streaming video-capture device.</summary>
    internal void RequireStreamingCapture()
    {
        v4l2_capability caps = default;
        if (!TryIoctl(V4l2Abi.VIDIOC_QUERYCAP, &caps))
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new CameraException(CameraErrorCode.NotACaptureDevice, $"{Path}: not a V4L2 device (VIDIOC_QUERYCAP errno {errno})");
        }

        uint effective = (caps.capabilities & V4l2Abi.V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
        if ((effective & V4l2Abi.V4L2_CAP_VIDEO_CAPTURE) == 0 || (effective & V4l2Abi.V4L2_CAP_STREAMING) == 0)
        {
            throw new CameraException(CameraErrorCode.NotACaptureDevice, $"{Path}: not a streaming video-capture device");
        }
    }

    internal List<DeviceFormat> EnumerateFormats()
    {
        var formats = new List<DeviceFormat>();
        for (uint index = 0; ; index++)
        {
            v4l2_fmtdesc description = default;
            description.index = index;
            description.type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
            if (!TryIoctl(V4l2Abi.VIDIOC_ENUM_FMT, &description))
            {
                break; // EINVAL ends the list
            }

            if (ToCaptureFormat(description.pixelformat) is { } format && formats.All(f => f.Format != format))
            {
                formats.Add(new DeviceFormat(format, EnumerateSizes(description.pixelformat)));
            }
        }

        return formats;
    }

    internal (uint Width, uint Height, uint PixelFormat, uint BytesPerLine) SetFormat(CapturePixelFormat format, int width, int height)
    {
        v4l2_format request = default;
        request.type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
        request.width = (uint)width;
        request.height = (uint)height;
        request.pixelformat = ToFourCc(format);
        request.field = V4l2Abi.V4L2_FIELD_ANY;
        Ioctl(V4l2Abi.VIDIOC_S_FMT, &request, "VIDIOC_S_FMT");
        return (request.width, request.height, request.pixelformat, request.bytesperline);
    }

    /// <summary>Asks for a frame rate; returns what the driver accepted, or 0 if it has no frame-rate control.</summary>
    internal double SetFrameRate(int framesPerSecond)
    {
        v4l2_streamparm parameters = default;
        parameters.type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
        parameters.timeperframe_numerator = 1;
        parameters.timeperframe_denominator = (uint)framesPerSecond;
        if (!TryIoctl(V4l2Abi.VIDIOC_S_PARM, &parameters) || (parameters.capability & V4l2Abi.V4L2_CAP_TIMEPERFRAME) == 0
            || parameters.timeperframe_numerator == 0)
        {
            return 0;
        }

        return (double)parameters.timeperframe_denominator / parameters.timeperframe_numerator;
    }

    internal int RequestBuffers(int count)
    {
        v4l2_requestbuffers request = default;
        request.count = (uint)count;
        request.type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
        request.memory = V4l2Abi.V4L2_MEMORY_MMAP;
        Ioctl(V4l2Abi.VIDIOC_REQBUFS, &request, "VIDIOC_REQBUFS");
        return (int)request.count;
    }

    internal SafeMemoryMapping MapBuffer(int index)
    {
        var buffer = NewBuffer(index);
        Ioctl(V4l2Abi.VIDIOC_QUERYBUF, &buffer, "VIDIOC_QUERYBUF");
        var mapping = SafeMemoryMapping.Map(fd, buffer.length, buffer.m_offset);
        if (mapping.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            mapping.Dispose();
            throw new CameraException(CameraErrorCode.IoError, $"mmap of a capture buffer failed (errno {errno})");
        }

        return mapping;
    }

    internal void Queue(int index)
    {
        var buffer = NewBuffer(index);
        Ioctl(V4l2Abi.VIDIOC_QBUF, &buffer, "VIDIOC_QBUF");
    }

    /// <summary>Takes a filled buffer, or returns false when none is ready (EAGAIN).</summary>
    internal bool TryDequeue(out v4l2_buffer buffer)
    {
        buffer = NewBuffer(0);
        fixed (v4l2_buffer* pointer = &buffer)
        {
            while (true)
            {
                if (Libc.ioctl(fd, new CULong(V4l2Abi.VIDIOC_DQBUF), pointer) == 0)
                {
                    return true;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EINTR)
                {
                    continue;
                }

                if (errno == Libc.EAGAIN)
                {
                    return false;
                }

                throw new CameraException(CameraErrorCode.IoError, $"{Path}: VIDIOC_DQBUF failed (errno {errno})");
            }
        }
    }

    internal void StreamOn()
    {
        uint type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
        Ioctl(V4l2Abi.VIDIOC_STREAMON, &type, "VIDIOC_STREAMON");
    }

    internal void StreamOff()
    {
        uint type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE;
        TryIoctl(V4l2Abi.VIDIOC_STREAMOFF, &type);
    }

    /// <summary>Waits until a frame is ready; false on time-out.</summary>
    internal bool WaitReadable(int timeoutMilliseconds)
    {
        var entry = new Libc.pollfd { fd = fd.Number, events = Libc.POLLIN };
        int result = Libc.poll(&entry, new CULong(1), timeoutMilliseconds);
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Libc.EINTR ? false : throw new CameraException(CameraErrorCode.IoError, $"{Path}: poll failed (errno {errno})");
        }

        if ((entry.revents & (Libc.POLLERR | Libc.POLLHUP)) != 0)
        {
            throw new CameraException(CameraErrorCode.IoError, $"{Path}: the device reported an error or was unplugged");
        }

        return result > 0;
    }

    public void Dispose() => fd.Dispose();

    internal static CapturePixelFormat? ToCaptureFormat(uint fourCc) => fourCc switch
    {
        V4l2Abi.V4L2_PIX_FMT_MJPEG or V4l2Abi.V4L2_PIX_FMT_JPEG => CapturePixelFormat.Mjpeg,
        V4l2Abi.V4L2_PIX_FMT_YUYV => CapturePixelFormat.Yuyv,
        V4l2Abi.V4L2_PIX_FMT_GREY => CapturePixelFormat.Grey,
        _ => null,
    };

    internal static uint ToFourCc(CapturePixelFormat format) => format switch
    {
        CapturePixelFormat.Mjpeg => V4l2Abi.V4L2_PIX_FMT_MJPEG,
        CapturePixelFormat.Yuyv => V4l2Abi.V4L2_PIX_FMT_YUYV,
        _ => V4l2Abi.V4L2_PIX_FMT_GREY,
    };

    private static v4l2_buffer NewBuffer(int index) => new()
    {
        index = (uint)index,
        type = V4l2Abi.V4L2_BUF_TYPE_VIDEO_CAPTURE,
        memory = V4l2Abi.V4L2_MEMORY_MMAP,
    };

    private List<FrameSizeRange> EnumerateSizes(uint fourCc)
    {
        var sizes = new List<FrameSizeRange>();
        for (uint index = 0; ; index++)
        {
            v4l2_frmsizeenum size = default;
            size.index = index;
            size.pixel_format = fourCc;
            if (!TryIoctl(V4l2Abi.VIDIOC_ENUM_FRAMESIZES, &size))
            {
                break;
            }

            if (size.type == V4l2Abi.V4L2_FRMSIZE_TYPE_DISCRETE)
            {
                sizes.Add(FrameSizeRange.Discrete((int)size.discrete_width, (int)size.discrete_height));
                continue;
            }

            sizes.Add(new FrameSizeRange((int)size.stepwise_min_width, (int)size.stepwise_max_width, (int)size.stepwise_step_width,
                (int)size.stepwise_min_height, (int)size.stepwise_max_height, (int)size.stepwise_step_height));
            break; // stepwise and continuous ranges come alone
        }

        return sizes;
    }

    private bool TryIoctl(uint request, void* argument)
    {
        while (true)
        {
            if (Libc.ioctl(fd, new CULong(request), argument) == 0)
            {
                return true;
            }

            if (Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                return false;
            }
        }
    }

    private void Ioctl(uint request, void* argument, string name)
    {
        if (!TryIoctl(request, argument))
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new CameraException(CameraErrorCode.IoError, $"{Path}: {name} failed (errno {errno})");
        }
    }
}
