using Reader.Reliability.Tests.Clinic;

namespace Reader.Reliability.Tests;

/// <summary>A fact that needs a whole clinic rig; skipped with the reason only when one cannot run here (not root, no mosquitto).</summary>
public sealed class RigFactAttribute : FactAttribute
{
    public RigFactAttribute()
    {
        if (ClinicRig.Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
