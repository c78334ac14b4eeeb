namespace Reader.HardwareSim.CardFace;

/// <summary>One placement of a card on the tray as the camera sees it: fixed while the card lies there.</summary>
public sealed record CardPlacement
{
    public double RotationDegrees { get; init; }

    public double OffsetXMm { get; init; }

    public double OffsetYMm { get; init; }

    /// <summary>Corner displacements of a tilted view (top-left, top-right, bottom-right, bottom-left), millimetres.</summary>
    public (double X, double Y)[] CornerJitterMm { get; init; } = [(0, 0), (0, 0), (0, 0), (0, 0)];

    public double Blur { get; init; }

    public double Noise { get; init; }

    public int Jpeg { get; init; }

    /// <summary>Glare spot centre on the card (fractions of its width and height), radius in mm, peak 0–1.</summary>
    public (double U, double V, double RadiusMm, double Peak)? Glare { get; init; }

    public double Exposure { get; init; } = 1;

    /// <summary>Which corner the finger covers (0 top-left, clockwise) and in how many of the first frames.</summary>
    public (int Corner, int Frames)? Finger { get; init; }

    public double CoverHaze { get; init; }

    /// <summary>Seed of the per-frame sensor noise.</summary>
    public int Seed { get; init; }
}

/// <summary>Draws placements from <see cref="CardFaceEffects"/> (mixed: the everyday distribution; otherwise as given).</summary>
public static class CardFaceScenePlanner
{
    public static CardPlacement Plan(CardFaceEffects effects, Random random)
    {
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(random);
        double Between(double low, double high) => low + (random.NextDouble() * (high - low));
        double Symmetric(double bound) => Between(-bound, bound);
        var size = (CardFaceArtwork.CardWidthMm + CardFaceArtwork.CardHeightMm) / 2;
        var jitter = Enumerable.Range(0, 4).Select(_ => (Symmetric(effects.Perspective * size), Symmetric(effects.Perspective * size))).ToArray();
        var placement = new CardPlacement
        {
            RotationDegrees = Symmetric(effects.Rotation),
            OffsetXMm = Symmetric(effects.Offset),
            OffsetYMm = Symmetric(effects.Offset),
            CornerJitterMm = jitter,
            Seed = random.Next(),
        };
        if (!effects.Mixed)
        {
            return placement with
            {
                Blur = effects.Blur,
                Noise = effects.Noise,
                Jpeg = effects.Jpeg,
                Glare = effects.Glare > 0 ? (Between(0.1, 0.9), Between(0.15, 0.85), Between(6, 12), effects.Glare) : null,
                Exposure = effects.LowLight > 0 ? effects.LowLight : 1,
                Finger = effects.Finger ? (random.Next(4), int.MaxValue) : null,
                CoverHaze = effects.Cover,
            };
        }

        return placement with
        {
            Blur = Between(0, effects.Blur),
            Noise = Between(1, effects.Noise),
            Jpeg = (int)Between(effects.Jpeg, 95),
            Glare = random.NextDouble() < 0.2 ? (Between(0.05, 0.95), Between(0.1, 0.9), Between(5, 11), Between(0.2, effects.Glare)) : null,
            Exposure = random.NextDouble() < 0.15 ? Between(effects.LowLight, 0.8) : 1,
            // The hand that placed the card is still leaving it: on the first frame only.
            Finger = random.NextDouble() < 0.08 ? (random.Next(4), 1) : null,
            CoverHaze = random.NextDouble() < 0.15 ? Between(0.1, effects.Cover) : 0,
        };
    }
}
