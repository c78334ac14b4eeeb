using Reader.HardwareSim.Pcscd;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// A fact that needs the whole rig. Skipped with the reason only when a piece genuinely cannot run here
/// (a private pcscd needs root and a mount namespace; mosquitto and Chromium come with ./reader's set-up).
/// </summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute()
    {
        if (Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }

    internal static string? Unavailable()
    {
        if (!PcscdInstance.CanRunPrivate(out var reason))
        {
            return reason;
        }

        foreach (var (tool, package) in new[] { ("/usr/sbin/mosquitto", "mosquitto"), (RigPaths.Chromium, "chromium") })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing (apt: {package}; ./reader test installs it)";
            }
        }

        return null;
    }
}
