namespace Reader.Kiosk.Contract;

/// <summary>
/// One consent item as the facility configures it: a stable id (the session maps it to the result's
/// consent flags) and its title and description in each language (code → text).
/// </summary>
public sealed record ConsentItemDefinition(
    string Id,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Description);

/// <summary>One consent item on the per-item screen, with the patient's answer so far (null = not answered).</summary>
public sealed record ConsentItemView(
    string Id,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Description,
    bool? Agreed = null)
{
    public static ConsentItemView Unanswered(ConsentItemDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ConsentItemView(definition.Id, definition.Title, definition.Description);
    }
}
