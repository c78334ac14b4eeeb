namespace Reader.TestSupport;

/// <summary>
/// Mutates a valid sample into the kind of damaged input a parser of outside bytes must survive: flipped and replaced
/// bytes, inserted tokens of the format, cut ranges, truncation, repeated ranges; with a <see cref="MutationProfile"/>
/// also boundary bytes, random runs, swapped ranges, rewritten BER lengths, padded tails (card bytes) or bytes inside
/// JSON strings, replaced JSON values and deep nesting (messages). The one mutator of the card, protocol, kiosk and
/// firmware fuzz tests. Deterministic for a seeded <see cref="Random"/>, so a failing input can be made again.
/// </summary>
public static class ByteMutator
{
    /// <summary>One in twenty inputs plain random bytes (0 to <paramref name="maxNoiseLength"/>), the rest a mutated seed.</summary>
    public static byte[] Next(Random random, IReadOnlyList<byte[]> seeds, MutationProfile profile, int maxNoiseLength)
    {
        if (random.Next(20) == 0)
        {
            var noise = new byte[random.Next(maxNoiseLength + 1)];
            random.NextBytes(noise);
            return noise;
        }

        return Mutate(random, seeds[random.Next(seeds.Count)], profile);
    }

    /// <summary>The plain byte mutations with <paramref name="tokens"/> of the format to insert.</summary>
    public static byte[] Mutate(Random random, byte[] original, IReadOnlyList<byte[]> tokens) =>
        Mutate(random, original, new MutationProfile { Tokens = tokens });

    public static byte[] Mutate(Random random, byte[] original, MutationProfile profile)
    {
        var data = new List<byte>(original);
        var kinds = profile.Kinds;
        var rounds = 1 + random.Next(profile.MaxRounds);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (kinds[random.Next(kinds.Count)])
            {
                case Mutation.FlipBit when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case Mutation.ReplaceByte when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case Mutation.InsertToken:
                    data.InsertRange(at, profile.Tokens[random.Next(profile.Tokens.Count)]);
                    break;
                case Mutation.Cut when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(profile.MaxCut)));
                    break;
                case Mutation.Truncate:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case Mutation.CopyRange when data.Count > 1:
                    {
                        // A copy of one range elsewhere (a duplicated object, a repeated header).
                        var from = random.Next(data.Count);
                        data.InsertRange(at, data.GetRange(from, Math.Min(data.Count - from, 1 + random.Next(profile.MaxCopy))));
                        break;
                    }

                case Mutation.WriteBoundaryByte when data.Count > 0:
                    data[at] = profile.BoundaryBytes[random.Next(profile.BoundaryBytes.Count)];
                    break;
                case Mutation.InsertRandomRun:
                    {
                        var run = new byte[1 + random.Next(profile.MaxRandomRun)];
                        random.NextBytes(run);
                        data.InsertRange(at, run);
                        break;
                    }

                case Mutation.SwapRanges when data.Count > 4:
                    SwapRanges(random, data, profile.MaxSwap);
                    break;
                case Mutation.RewriteLength when data.Count > 0:
                    RewriteLength(random, data, at, profile);
                    break;
                case Mutation.PadTail:
                    data.AddRange(Enumerable.Repeat(random.Next(2) == 0 ? (byte)0xFF : (byte)0x00, 1 + random.Next(32)));
                    break;
                case Mutation.TokenInsideString:
                    JsonMutations.InsertInsideString(random, data, profile.Tokens[random.Next(profile.Tokens.Count)]);
                    break;
                case Mutation.ReplaceJsonValue:
                    JsonMutations.ReplaceValue(random, data, profile.Tokens);
                    break;
                case Mutation.DeepNesting when random.Next(8) == 0:
                    data.InsertRange(0, Enumerable.Repeat((byte)'[', 1 + random.Next(200)));
                    break;
                default:
                    data.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Two ranges swapped (objects out of order).</summary>
    private static void SwapRanges(Random random, List<byte> data, int maxLength)
    {
        var length = 1 + random.Next(Math.Min(maxLength, data.Count / 2));
        var a = random.Next(data.Count - length + 1);
        var b = random.Next(data.Count - length + 1);
        var first = data.GetRange(a, length);
        var second = data.GetRange(b, length);
        for (var i = 0; i < length; i++)
        {
            data[a + i] = second[i];
        }

        for (var i = 0; i < length; i++)
        {
            data[b + i] = first[i];
        }
    }

    /// <summary>A length rewritten: after a long-form marker (BER 81/82/83), or any byte read as a short length.</summary>
    private static void RewriteLength(Random random, List<byte> data, int at, MutationProfile profile)
    {
        var marker = data.FindIndex(at, b => profile.LengthMarkers.Contains(b));
        var target = marker >= 0 ? marker : at;
        data[target] = profile.BoundaryBytes[random.Next(profile.BoundaryBytes.Count)];
        for (var i = 1; i <= 3 && target + i < data.Count; i++)
        {
            data[target + i] = (byte)random.Next(256);
        }
    }
}

internal enum Mutation
{
    FlipBit,
    ReplaceByte,
    InsertToken,
    Cut,
    Truncate,
    CopyRange,
    InsertByte,
    WriteBoundaryByte,
    InsertRandomRun,
    SwapRanges,
    RewriteLength,
    PadTail,
    TokenInsideString,
    ReplaceJsonValue,
    DeepNesting,
}

/// <summary>
/// Which mutations <see cref="ByteMutator"/> applies beyond the plain ones (bit flip, random byte, cut, truncation,
/// copied range, inserted byte), and how far: <see cref="BerTlv"/> for card bytes, <see cref="JsonText"/> for messages.
/// </summary>
public sealed class MutationProfile
{
    private IReadOnlyList<Mutation>? kinds;

    /// <summary>Card bytes: boundary values (00 01 7F 80–84 FE FF), random runs, swapped objects, rewritten BER lengths, 00/FF padding.</summary>
    public static MutationProfile BerTlv { get; } = new()
    {
        BoundaryBytes = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFE, 0xFF],
        LengthMarkers = [0x81, 0x82, 0x83],
        MaxRounds = 4,
        MaxCut = 16,
        MaxCopy = 300,
        MaxSwap = 400,
        MaxRandomRun = 8,
        PadTail = true,
    };

    /// <summary>Format tokens inserted anywhere (two kinds in eight: they are what a parser branches on).</summary>
    public IReadOnlyList<byte[]> Tokens { get; init; } = [];

    /// <summary>Bytes written over one byte or a length (none: not used).</summary>
    public IReadOnlyList<byte> BoundaryBytes { get; init; } = [];

    /// <summary>Markers after which a length follows (BER long form); with <see cref="BoundaryBytes"/>.</summary>
    public IReadOnlyList<byte> LengthMarkers { get; init; } = [];

    public int MaxRounds { get; init; } = 3;

    public int MaxCut { get; init; } = 12;

    public int MaxCopy { get; init; } = 32;

    /// <summary>Longest range swapped with another (0: no swaps).</summary>
    public int MaxSwap { get; init; }

    /// <summary>Longest run of random bytes inserted at once (0: single bytes only).</summary>
    public int MaxRandomRun { get; init; }

    /// <summary>A run of 00 or FF appended (padding read as data).</summary>
    public bool PadTail { get; init; }

    /// <summary>JSON text: tokens put inside strings, values replaced by values of other types, deep nesting (rare).</summary>
    public bool Json { get; init; }

    /// <summary>JSON messages with <paramref name="tokens"/> (invalid UTF-8, escapes, odd numbers, structure).</summary>
    public static MutationProfile JsonText(IReadOnlyList<byte[]> tokens) => new() { Tokens = tokens, Json = true, MaxRounds = 4, MaxCut = 16, MaxCopy = 64 };

    /// <summary>The mutations drawn from, one entry per chance (the plain eight first, in the order kept since they began).</summary>
    internal IReadOnlyList<Mutation> Kinds => kinds ??= Build();

    private List<Mutation> Build()
    {
        List<Mutation> list = [Mutation.FlipBit, Mutation.ReplaceByte];
        if (Tokens.Count > 0)
        {
            list.AddRange([Mutation.InsertToken, Mutation.InsertToken]);
        }

        list.AddRange([Mutation.Cut, Mutation.Truncate, Mutation.CopyRange, Mutation.InsertByte]);
        if (BoundaryBytes.Count > 0)
        {
            list.Add(Mutation.WriteBoundaryByte);
        }

        if (MaxRandomRun > 0)
        {
            list.Add(Mutation.InsertRandomRun);
        }

        if (MaxSwap > 0)
        {
            list.Add(Mutation.SwapRanges);
        }

        if (LengthMarkers.Count > 0 && BoundaryBytes.Count > 0)
        {
            list.Add(Mutation.RewriteLength);
        }

        if (PadTail)
        {
            list.Add(Mutation.PadTail);
        }

        if (Json && Tokens.Count > 0)
        {
            list.AddRange([Mutation.TokenInsideString, Mutation.ReplaceJsonValue, Mutation.DeepNesting]);
        }

        return list;
    }
}
