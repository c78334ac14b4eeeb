using BenchmarkDotNet.Attributes;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench;

/// <summary>
/// The CPU-side stages around the models, where BenchmarkDotNet's precise timing helps (the
/// model runs themselves are timed against ORT in <see cref="VisionBench"/>). Input: the
/// 640×480 astronaut frame; nothing patient-related.
/// </summary>
[MemoryDiagnoser]
public class PixelStageBenchmarks
{
    private PixelBuffer frame = null!;
    private PixelBuffer aligned = null!;
    private PointF[] five = null!;
    private float[] detectorInput = null!;
    private float[] embedInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        frame = Jpeg.Decode(VisionBench.MakeCameraFrame(), PixelFormat.Rgb24);
        // Points of the astronaut face in this frame (from the pipeline once; fixed here so no model runs).
        five = [new(271f, 94f), new(312f, 97f), new(291f, 119f), new(271f, 131f), new(309f, 133f)];
        aligned = FaceAligner.Align(frame, five);
        detectorInput = new float[3 * FaceDetector.InputWidth * FaceDetector.InputHeight];
        embedInput = new float[3 * FaceAligner.Size * FaceAligner.Size];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        frame.Dispose();
        aligned.Dispose();
    }

    [Benchmark(Description = "detector input (area resize + fill)")]
    public void DetectorInputFill() => DetectorInput.Fill(frame, detectorInput);

    [Benchmark(Description = "align 112x112")]
    public void Align() => FaceAligner.Align(frame, five).Dispose();

    [Benchmark(Description = "quality (brightness + sharpness)")]
    public float Quality() => FaceQuality.Brightness(aligned) + FaceQuality.Sharpness(aligned);

    [Benchmark(Description = "embedding input fill")]
    public void EmbedFill() => TensorFill.Planar(aligned, embedInput, ChannelOrder.Rgb, 127f, 1f / 128f);
}
