using Reader.Imaging.Ops;

namespace Reader.Imaging;

/// <summary>How <see cref="ImageOps.Resize"/> computes each output pixel.</summary>
public enum ResizeFilter
{
    /// <summary>
    /// Area averaging: each output pixel is the mean of the source area it covers, counting partly
    /// covered pixels by their covered fraction (OpenCV INTER_AREA when shrinking). The detector's
    /// 320×240 input and the landmark and liveness crops are made with this filter.
    /// </summary>
    Area,

    /// <summary>
    /// Bilinear interpolation with pixel-centre alignment (OpenCV INTER_LINEAR): output pixel x samples
    /// source position (x + 0.5)·scale − 0.5, edges replicated.
    /// </summary>
    Bilinear,
}
