namespace Reader.Camera;

/// <summary>Pixel formats a camera can deliver that this library converts.</summary>
public enum CapturePixelFormat
{
    /// <summary>Motion JPEG: each frame a JPEG (possibly without Huffman tables, as UVC sends).</summary>
    Mjpeg,

    /// <summary>YUYV 4:2:2, BT.601 limited range.</summary>
    Yuyv,

    /// <summary>8-bit grey (infrared cameras).</summary>
    Grey,
}
