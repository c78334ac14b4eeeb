using System.Text.Json;

namespace Reader.Vision.Tests;

/// <summary>shared/vision/golden.json: the reference implementation's outputs per image.</summary>
internal sealed record GoldenFace(float[] Box, float Score, float[][] Five, float[] Embedding, float[] Liveness, int Detections)
{
    internal static GoldenFace? Load(string image)
    {
        if (!File.Exists(TestPaths.Golden))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Golden));
        var e = doc.RootElement.GetProperty(image);
        var det = e.GetProperty("det");
        return new GoldenFace(
            Floats(det.GetProperty("box")),
            det.GetProperty("score").GetSingle(),
            e.GetProperty("five").EnumerateArray().Select(Floats).ToArray(),
            Floats(e.GetProperty("emb")),
            Floats(e.GetProperty("liveness_softmax_bgr")),
            e.GetProperty("nDet").GetInt32());
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();
}
