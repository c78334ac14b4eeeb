using System.Text.Json;

namespace Reader.Kiosk.Contract;

/// <summary>
/// The consent items a facility asks for. The defaults are the current national items:
/// 診療・薬剤 (incl. 手術), 特定健診等, 特定疾病, and the six 電子カルテ情報 items.
/// A facility file has the same JSON shape as the embedded default (an array of
/// <c>{ "id", "title": { lang: text }, "description": { lang: text } }</c>).
/// </summary>
public static class ConsentCatalog
{
    private static readonly Lazy<IReadOnlyList<ConsentItemDefinition>> Embedded = new(() =>
    {
        using var stream = typeof(ConsentCatalog).Assembly.GetManifestResourceStream("consent/default-items.json")
            ?? throw new InvalidOperationException("The default consent items are missing from the assembly.");
        return Load(stream);
    });

    public static IReadOnlyList<ConsentItemDefinition> Defaults => Embedded.Value;

    /// <summary>
    /// Reads and checks a facility's consent items: unique ids, a Japanese title and description, and other page
    /// languages where the facility has them (an item without one is shown in Japanese, and the page says so).
    /// </summary>
    public static IReadOnlyList<ConsentItemDefinition> Load(Stream json)
    {
        var items = JsonSerializer.Deserialize<IReadOnlyList<ConsentItemDefinition>>(json, KioskJson.Options)
            ?? throw new InvalidDataException("The consent item list is empty.");
        Validate(items);
        return items;
    }

    public static void Validate(IReadOnlyList<ConsentItemDefinition> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new InvalidDataException("At least one consent item is needed.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item.Id) || item.Id.Length > 64 || !item.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw new InvalidDataException($"Consent item id '{item.Id}' must be lower-case letters, digits and '-'.");
            }

            if (!seen.Add(item.Id))
            {
                throw new InvalidDataException($"Consent item id '{item.Id}' appears twice.");
            }

            if (!item.Title.TryGetValue(KioskLanguages.Default, out var title) || string.IsNullOrWhiteSpace(title)
                || !item.Description.TryGetValue(KioskLanguages.Default, out var description) || string.IsNullOrWhiteSpace(description))
            {
                throw new InvalidDataException($"Consent item '{item.Id}' has no Japanese title or description.");
            }

            foreach (var (language, text) in item.Title.Concat(item.Description))
            {
                if (!KioskLanguages.IsSupported(language) || string.IsNullOrWhiteSpace(text))
                {
                    throw new InvalidDataException($"Consent item '{item.Id}' has an empty text or one in '{language}', which is not a page language.");
                }
            }
        }
    }
}
