using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>The pixel and geometry helpers of the pipeline.</summary>
public sealed class PixelPathTests
{
    [Fact]
    public void Planar_fill_puts_rgb_or_bgr_planes_in_order()
    {
        using var image = PixelBuffer.Rent(2, 1, PixelFormat.Rgb24);
        image.Pixels[0] = 10;
        image.Pixels[1] = 20;
        image.Pixels[2] = 30;
        image.Pixels[3] = 40;
        image.Pixels[4] = 50;
        image.Pixels[5] = 60;
        var tensor = new float[6];
        TensorFill.Planar(image, tensor, ChannelOrder.Rgb, 0, 1);
        Assert.Equal([10f, 40, 20, 50, 30, 60], tensor);
        TensorFill.Planar(image, tensor, ChannelOrder.Bgr, 0, 1);
        Assert.Equal([30f, 60, 20, 50, 10, 40], tensor);
    }

    [Fact]
    public void The_similarity_fit_recovers_a_known_transform_exactly()
    {
        var truth = AffineTransform.Similarity(1.7, 0.3, 12, -5);
        var source = new[] { new PointF(10, 20), new PointF(50, 22), new PointF(30, 45), new PointF(15, 70), new PointF(48, 69) };
        var destination = source.Select(p => truth.Apply(p.X, p.Y)).Select(p => new PointF((float)p.X, (float)p.Y)).ToArray();
        var fitted = FaceAligner.EstimateSimilarity(source, destination);
        Assert.Equal(truth.M11, fitted.M11, 4);
        Assert.Equal(truth.M12, fitted.M12, 4);
        Assert.Equal(truth.M13, fitted.M13, 3);
        Assert.Equal(truth.M21, fitted.M21, 4);
        Assert.Equal(truth.M23, fitted.M23, 3);
    }

    [Fact]
    public void Crops_are_scaled_about_the_box_centre_and_shifted_inside_the_image()
    {
        Assert.Equal(new PixelRect(100, 100, 50, 50), CropGeometry.ScaledInside(100, 100, 50, 50, 1.0, 640, 480));
        var liveness = CropGeometry.ScaledInside(300, 200, 100, 100, 2.7, 640, 480);
        Assert.Equal((215, 115, 270, 270), (liveness.X, liveness.Y, liveness.Width, liveness.Height));
        var atEdge = CropGeometry.ScaledInside(0, 0, 100, 100, 2.7, 640, 480);
        Assert.Equal((0, 0), (atEdge.X, atEdge.Y));
        Assert.Equal(270, atEdge.Width);
        var capped = CropGeometry.ScaledInside(100, 100, 300, 300, 2.7, 640, 480);
        Assert.True(capped.Height <= 479 && capped.Width <= 639);
    }
}
