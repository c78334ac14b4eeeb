namespace Reader.Vision.Pipeline;

/// <summary>
/// A unit-length 512-d face embedding. A biometric secret: it never leaves this library, is
/// never logged or written, and its values are zeroed on <see cref="Dispose"/>.
/// </summary>
internal sealed class FaceEmbedding : IDisposable
{
    internal const int Dimensions = 512;

    private float[]? values;

    internal FaceEmbedding(ReadOnlySpan<float> raw)
    {
        if (raw.Length != Dimensions)
        {
            throw new ArgumentException("512 values expected", nameof(raw));
        }

        double sum = 0;
        foreach (var v in raw)
        {
            sum += v * v;
        }

        var norm = (float)Math.Sqrt(sum);
        values = new float[Dimensions];
        if (norm > 0)
        {
            for (var i = 0; i < Dimensions; i++)
            {
                values[i] = raw[i] / norm;
            }
        }
    }

    internal ReadOnlySpan<float> Values => values ?? throw new ObjectDisposedException(nameof(FaceEmbedding));

    /// <summary>Cosine similarity (both are unit length: the dot product).</summary>
    internal float CosineTo(FaceEmbedding other)
    {
        var a = Values;
        var b = other.Values;
        var sum = System.Numerics.Vector<float>.Zero;
        var width = System.Numerics.Vector<float>.Count;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            sum += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        }

        var dot = System.Numerics.Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    public void Dispose()
    {
        var owned = Interlocked.Exchange(ref values, null);
        if (owned is not null)
        {
            Array.Clear(owned);
        }
    }

    public override string ToString() => "FaceEmbedding(512, not shown)";
}
