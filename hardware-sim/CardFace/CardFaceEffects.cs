using System.Globalization;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// What the card-face camera does to the picture of a card on the tray. Each effect has a strength (its unit in
/// the comment); <see cref="Parse"/> reads <c>rotation=8,blur=2.5,finger</c> (no value: the effect's test strength).
/// <see cref="Mix"/> is the everyday mixture the evaluation uses by default: every placement a little off and a
/// little noisy, now and then glare, dim light, a finger or a card cover.
/// </summary>
public sealed record CardFaceEffects
{
    /// <summary>Largest rotation on the tray, degrees (the tray allows ±8°).</summary>
    public double Rotation { get; init; }

    /// <summary>Largest offset from the tray stop, millimetres (±5 mm).</summary>
    public double Offset { get; init; }

    /// <summary>Corner displacement of a tilted view, fraction of the card size.</summary>
    public double Perspective { get; init; }

    /// <summary>Gaussian blur sigma, pixels of the 1280×960 frame.</summary>
    public double Blur { get; init; }

    /// <summary>Sensor noise sigma, grey levels.</summary>
    public double Noise { get; init; }

    /// <summary>JPEG quality the frame is squeezed through (0 = none).</summary>
    public int Jpeg { get; init; }

    /// <summary>Peak strength of a specular glare spot, 0–1 (0 = none).</summary>
    public double Glare { get; init; }

    /// <summary>Exposure factor below 1 (0 = normal light).</summary>
    public double LowLight { get; init; }

    /// <summary>A finger over a corner of the card.</summary>
    public bool Finger { get; init; }

    /// <summary>A clear plastic card cover: haze, 0–1 (0 = none).</summary>
    public double Cover { get; init; }

    /// <summary>The placement is drawn at random per placement from these bounds (true) or taken as given (false).</summary>
    public bool Mixed { get; init; }

    public static CardFaceEffects None { get; } = new();

    /// <summary>A careful placement: small pose error, a little noise, the camera's own JPEG.</summary>
    public static CardFaceEffects Clean { get; } = new() { Rotation = 2, Offset = 1.5, Perspective = 0.005, Noise = 2, Jpeg = 90 };

    /// <summary>The everyday mixture (drawn per placement; see <see cref="CardFaceScenePlanner"/>).</summary>
    public static CardFaceEffects Mix { get; } = new() { Mixed = true, Rotation = 8, Offset = 5, Perspective = 0.02, Blur = 1.2, Noise = 6, Jpeg = 60, Glare = 0.55, LowLight = 0.45, Finger = true, Cover = 0.3 };

    public static readonly IReadOnlyList<string> Names = ["rotation", "offset", "perspective", "blur", "noise", "jpeg", "glare", "low-light", "finger", "cover"];

    /// <summary>Parses <c>mix</c>, <c>clean</c>, <c>none</c> or a comma list of <c>name[=strength]</c>.</summary>
    /// <exception cref="FormatException">An unknown name or a bad number.</exception>
    public static CardFaceEffects Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "mix")
        {
            return Mix;
        }

        switch (text.Trim())
        {
            case "clean":
                return Clean;
            case "none":
                return None;
        }

        var effects = Clean;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2);
            double? value = parts.Length == 2 ? double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture) : null;
            effects = parts[0] switch
            {
                "rotation" => effects with { Rotation = value ?? 8 },
                "offset" => effects with { Offset = value ?? 5 },
                "perspective" => effects with { Perspective = value ?? 0.03 },
                "blur" => effects with { Blur = value ?? 1.5 },
                "noise" => effects with { Noise = value ?? 10 },
                "jpeg" => effects with { Jpeg = (int)(value ?? 40) },
                "glare" => effects with { Glare = value ?? 0.7 },
                "low-light" => effects with { LowLight = value ?? 0.35 },
                "finger" => effects with { Finger = true },
                "cover" => effects with { Cover = value ?? 0.35 },
                _ => throw new FormatException($"unknown card-face effect '{parts[0]}' ({string.Join(", ", Names)}, or mix / clean / none)"),
            };
        }

        return effects;
    }

    public override string ToString()
    {
        if (Mixed)
        {
            return "mix";
        }

        var parts = new List<string>();
        void Add(string name, double value, double none = 0)
        {
            if (value != none)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}={value}"));
            }
        }

        Add("rotation", Rotation);
        Add("offset", Offset);
        Add("perspective", Perspective);
        Add("blur", Blur);
        Add("noise", Noise);
        Add("jpeg", Jpeg);
        Add("glare", Glare);
        Add("low-light", LowLight);
        if (Finger)
        {
            parts.Add("finger");
        }

        Add("cover", Cover);
        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }
}
