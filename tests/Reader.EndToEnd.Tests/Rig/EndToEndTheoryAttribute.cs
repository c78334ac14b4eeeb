namespace Reader.EndToEnd.Tests.Rig;

/// <summary>A theory that needs the whole rig (the same skip reasons as <see cref="EndToEndFactAttribute"/>).</summary>
public sealed class EndToEndTheoryAttribute : TheoryAttribute
{
    public EndToEndTheoryAttribute()
    {
        if (EndToEndFactAttribute.Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
