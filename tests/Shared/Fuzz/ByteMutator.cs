namespace Reader.TestSupport;

/// <summary>
/// Mutates a valid sample into the kind of damaged input a parser of outside bytes must survive: flipped and replaced
/// bytes, inserted tokens of the format, cut ranges, truncation, repeated ranges. Deterministic for a seeded
/// <see cref="Random"/>, so a failing input can be made again.
/// </summary>
public static class ByteMutator
{
    public static byte[] Mutate(Random random, byte[] original, IReadOnlyList<byte[]> interesting)
    {
        var data = new List<byte>(original);
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2:
                case 3:
                    data.InsertRange(at, interesting[random.Next(interesting.Count)]);
                    break;
                case 4 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(12)));
                    break;
                case 5:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 6 when data.Count > 1:
                    var from = random.Next(data.Count);
                    data.InsertRange(at, data.GetRange(from, Math.Min(data.Count - from, 1 + random.Next(32))));
                    break;
                default:
                    data.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. data];
    }
}
