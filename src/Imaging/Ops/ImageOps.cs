namespace Reader.Imaging.Ops;

/// <summary>
/// Pixel operations that return new pooled buffers (the caller disposes them). Conventions are
/// those of OpenCV, so the face pipeline matches its reference: see the README.
/// </summary>
public static class ImageOps
{
    /// <summary>Resizes to <paramref name="width"/>×<paramref name="height"/> (aspect not kept).</summary>
    public static PixelBuffer Resize(PixelBuffer source, int width, int height, ResizeFilter filter = ResizeFilter.Area)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = PixelBuffer.Rent(width, height, source.Format);
        ResizeInto(source, target, filter);
        return target;
    }

    /// <summary>Resizes <paramref name="source"/> into an existing buffer of the same format (its size is the target size).</summary>
    public static void ResizeInto(PixelBuffer source, PixelBuffer target, ResizeFilter filter = ResizeFilter.Area)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.Format != target.Format)
        {
            throw new ArgumentException("source and target formats differ", nameof(target));
        }

        if (source.Width == target.Width && source.Height == target.Height)
        {
            source.Pixels.CopyTo(target.Pixels);
            return;
        }

        switch (filter)
        {
            case ResizeFilter.Area:
                AreaResizer.Resize(source, target);
                break;
            case ResizeFilter.Bilinear:
                BilinearResizer.Resize(source, target);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "unknown resize filter");
        }
    }

    /// <summary>Copies the part of <paramref name="rect"/> that lies inside the image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle lies wholly outside the image.</exception>
    public static PixelBuffer Crop(PixelBuffer source, PixelRect rect)
    {
        ArgumentNullException.ThrowIfNull(source);
        var inside = rect.ClampTo(source.Width, source.Height);
        if (inside.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(rect), rect, "the crop lies outside the image");
        }

        int bpp = source.BytesPerPixel;
        var target = PixelBuffer.Rent(inside.Width, inside.Height, source.Format);
        for (int y = 0; y < inside.Height; y++)
        {
            source.Row(inside.Y + y).Slice(inside.X * bpp, inside.Width * bpp).CopyTo(target.Row(y));
        }

        return target;
    }

    /// <summary>
    /// A larger copy with <paramref name="left"/>, <paramref name="top"/>, <paramref name="right"/> and
    /// <paramref name="bottom"/> pixels added outside the image, filled as <paramref name="fill"/> says
    /// (a face touching the frame's edge gets room around it).
    /// </summary>
    public static PixelBuffer Pad(PixelBuffer source, int left, int top, int right, int bottom, BorderFill fill)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        ArgumentOutOfRangeException.ThrowIfNegative(bottom);
        int bpp = source.BytesPerPixel, width = source.Width, height = source.Height;
        var target = PixelBuffer.Rent(width + left + right, height + top + bottom, source.Format);
        try
        {
            for (int y = 0; y < target.Height; y++)
            {
                var row = target.Row(y);
                var inside = y >= top && y < top + height;
                if (fill.Mode == BorderMode.Constant)
                {
                    if (!inside)
                    {
                        row.Fill(fill.Value);
                        continue;
                    }

                    row[..(left * bpp)].Fill(fill.Value);
                    row[((left + width) * bpp)..].Fill(fill.Value);
                    source.Row(y - top).CopyTo(row[(left * bpp)..]);
                    continue;
                }

                var from = source.Row(Math.Clamp(y - top, 0, height - 1));
                from.CopyTo(row[(left * bpp)..]);
                var first = from[..bpp];
                var last = from[((width - 1) * bpp)..];
                for (int x = 0; x < left; x++)
                {
                    first.CopyTo(row[(x * bpp)..]);
                }

                for (int x = left + width; x < target.Width; x++)
                {
                    last.CopyTo(row[(x * bpp)..]);
                }
            }

            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Converts to another pixel format (grey = 0.299 R + 0.587 G + 0.114 B, rounded).</summary>
    public static PixelBuffer Convert(PixelBuffer source, PixelFormat to)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = PixelBuffer.Rent(source.Width, source.Height, to);
        ColorConversion.ConvertRow(source.Pixels, source.Format, target.Pixels, to);
        return target;
    }

    /// <summary>
    /// Bilinear affine warp into a new <paramref name="width"/>×<paramref name="height"/> buffer:
    /// dst(x, y) = src(M·(x, y)), where <paramref name="destinationToSource"/> maps output pixel
    /// centres to source pixel centres (pass <c>sourceToDestination.Invert()</c> when you hold the forward map);
    /// source positions outside the image read as 0.
    /// </summary>
    public static PixelBuffer WarpAffine(PixelBuffer source, in AffineTransform destinationToSource, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = PixelBuffer.Rent(width, height, source.Format);
        AffineWarper.Warp(source, destinationToSource, target);
        return target;
    }

    /// <summary>
    /// Bilinear perspective warp into a new <paramref name="width"/>×<paramref name="height"/> buffer: dst(x, y) =
    /// src(M·(x, y)) with <paramref name="destinationToSource"/> mapping output pixel centres to source pixel centres
    /// (the conventions of <see cref="WarpAffine"/>; outside the image reads as 0).
    /// </summary>
    public static PixelBuffer WarpPerspective(PixelBuffer source, in PerspectiveTransform destinationToSource, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = PixelBuffer.Rent(width, height, source.Format);
        AffineWarper.WarpPerspective(source, destinationToSource, target);
        return target;
    }
}
