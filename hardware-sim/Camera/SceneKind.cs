namespace Reader.HardwareSim.Camera;

/// <summary>What the virtual patient camera shows.</summary>
public enum SceneKind
{
    /// <summary>The card holder, live: small head motion, lighting noise, blinks.</summary>
    Live,

    /// <summary>A printed photo of the card holder held up: a flat image moving rigidly, paper border, glare, no blink.</summary>
    Photo,

    /// <summary>A phone held up replaying a video of the card holder: the video blinks and sways, the phone is a flat
    /// backlit screen in a dark bezel (lifted blacks, boosted colour, a moiré beat of the pixel grid, a reflection).</summary>
    Replay,

    /// <summary>Somebody else, live (default portrait messi5.jpg).</summary>
    Impostor,

    /// <summary>Nobody in front of the camera.</summary>
    Empty,

    /// <summary>The card holder in a dark room.</summary>
    Dark,

    /// <summary>The card holder with somebody else beside them.</summary>
    TwoPeople,
}

/// <summary>Scene names as typed on the command line and sent to the control API (kebab case).</summary>
public static class SceneNames
{
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<SceneKind>().Select(Of).ToArray();

    public static string Of(SceneKind kind) => kind switch
    {
        SceneKind.TwoPeople => "two-people",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? name, out SceneKind kind)
    {
        kind = SceneKind.Live;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        return Enum.TryParse(name.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }
}
