using System.Buffers.Binary;
using Reader.Imaging;
using Reader.Vision;
using Reader.Vision.Pipeline;
using Reader.Imaging.Codecs;

namespace Reader.Arm64.Tests;

/// <summary>
/// The two golden images (astronaut.png: reference, messi5.jpg: probe; two different people), and the x64 side of the
/// comparison: this process runs the same pipeline steps as <c>reader-vision compare</c> and keeps the embeddings in
/// memory, to pipe them into the arm64 build's <c>compare --reference-embeddings -</c> (never into a file).
/// </summary>
internal sealed class GoldenPair : IDisposable
{
    private readonly float[][] _embeddings;

    private GoldenPair(string decision, double cosine, float[][] embeddings)
    {
        Decision = decision;
        Cosine = cosine;
        _embeddings = embeddings;
    }

    public static string Images => Environment.GetEnvironmentVariable("READER_IMAGES") is { Length: > 0 } images ? images : Path.Combine(Emulator.Cache, "images");

    public static string Models => Environment.GetEnvironmentVariable("READER_MODELS") is { Length: > 0 } models ? models : Path.Combine(Emulator.Cache, "models");

    public static string A => Path.Combine(Images, "astronaut.png");

    public static string B => Path.Combine(Images, "messi5.jpg");

    /// <summary>Why the comparison cannot run, or null.</summary>
    public static string? Unavailable =>
        !File.Exists(A) || !File.Exists(B) ? $"the golden images are missing in {Images} (./reader fetches them)"
        : !File.Exists(Path.Combine(Models, "models.json")) ? $"no models in {Models} (./reader fetches them)"
        : !File.Exists(Path.Combine(Emulator.VisionFolder, "libonnxruntime.so"))
            ? $"no linux-arm64 ONNX Runtime in {Emulator.VisionFolder} (the Microsoft.ML.OnnxRuntime package's, published by ./reader build --arch arm64)"
        : null;

    public string Decision { get; }

    public double Cosine { get; }

    /// <summary>The decision of <c>compare A B</c> on this machine, and both embeddings (kept in memory only).</summary>
    public static GoldenPair OnThisMachine()
    {
        using var verifier = FaceVerifier.Create(new VisionOptions { ModelDirectory = Models });
        using var imageA = ImageDecoder.Decode(File.ReadAllBytes(A), PixelFormat.Rgb24);
        using var imageB = ImageDecoder.Decode(File.ReadAllBytes(B), PixelFormat.Rgb24);
        var grey = verifier.Options.GreyLiveFace && FaceVerifier.IsGrey(imageA);
        lock (verifier.Gate)
        {
            using var observationA = verifier.Analyzer.Analyze(imageA, AnalysisMode.Enrol, liveness: true, eyes: false);
            using var observationB = verifier.Analyzer.Analyze(imageB, AnalysisMode.Enrol, liveness: true, eyes: false);
            if (observationA.Face is null || observationB.Face is null)
            {
                throw new InvalidOperationException("the x64 pipeline found no face in a golden image");
            }

            using var embeddingA = verifier.EmbedObservation(observationA, grey: false);
            using var embeddingB = verifier.EmbedObservation(observationB, grey);
            double cosine = embeddingA.CosineTo(embeddingB);
            return new GoldenPair(cosine >= verifier.MatchThreshold ? "match" : "no_match", cosine, [embeddingA.Values.ToArray(), embeddingB.Values.ToArray()]);
        }
    }

    /// <summary>What <c>compare --reference-embeddings -</c> reads on stdin: A then B, float32 little-endian.</summary>
    public byte[] PipedEmbeddings()
    {
        var bytes = new byte[_embeddings.Sum(e => e.Length) * sizeof(float)];
        int offset = 0;
        foreach (var value in _embeddings.SelectMany(e => e))
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value);
            offset += sizeof(float);
        }

        return bytes;
    }

    public void Dispose()
    {
        foreach (var embedding in _embeddings)
        {
            Array.Clear(embedding);
        }
    }
}
