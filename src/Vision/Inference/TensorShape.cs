namespace Reader.Vision.Inference;

/// <summary>Name and fixed shape of one model input or output (float32 only).</summary>
internal sealed record TensorShape(string Name, long[] Dimensions)
{
    internal int ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Dimensions)
            {
                count *= d;
            }

            return checked((int)count);
        }
    }

    public override string ToString() => $"{Name}[{string.Join(",", Dimensions)}]";
}
