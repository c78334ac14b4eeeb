using System.Text.Json;
using Reader.Kiosk.Contract;
using Terminal = Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>
/// What the facility decided (pushed by the terminal, else the defaults): the consent items with their texts and
/// the OQS keys each one sets, e-prescription on/off, the page languages, and 目視's auto-return. A session takes
/// the settings in force when the card is placed; a push applies to the next visit.
/// </summary>
internal sealed record FacilitySettings
{
    /// <summary>The default items' ids (kiosk <see cref="ConsentCatalog.Defaults"/>) → the OQS <c>…ConsFlg</c> prefixes they set.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultConsentKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // 診療・薬剤情報（手術を含む）: medication, treatment and surgery are one question on the screen.
        ["medical-and-medication"] = ["PharmacistsInfo", "DiagnosisInfo", "OperationInfo"],
        ["health-checkups"] = ["SpecificHealthCheckupsInfo"],
        ["specific-diseases"] = ["SpecificDiseasesCertificateRelated"],
        ["ehr-diagnoses"] = ["DiagnosisName"],
        ["ehr-infections"] = ["InfectiousInfo"],
        ["ehr-drug-allergies"] = ["ContraindicationInfo"],
        ["ehr-other-allergies"] = ["AllergyInfo"],
        ["ehr-tests"] = ["TestInfo"],
        ["ehr-prescriptions"] = ["PrescriptionInfo"],
    };

    public required IReadOnlyList<ConsentItemDefinition> ConsentItems { get; init; }

    /// <summary>Kiosk item id → OQS keys.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ConsentKeys { get; init; }

    public required bool EPrescription { get; init; }

    /// <summary>Offered on the idle screen, Japanese first.</summary>
    public required IReadOnlyList<string> Languages { get; init; }

    /// <summary>From the terminal; null = the configured default.</summary>
    public TimeSpan? VisualCheckAutoReturn { get; init; }

    /// <summary>The terminal's configuration version, null for the defaults.</summary>
    public int? Version { get; init; }

    public static FacilitySettings Defaults(SessionSettings settings) => new()
    {
        ConsentItems = ConsentCatalog.Defaults,
        ConsentKeys = DefaultConsentKeys,
        EPrescription = settings.EPrescription,
        Languages = KioskLanguages.Codes,
    };

    /// <summary>
    /// The terminal's configuration for the kiosk: OQS key "PharmacistsInfo" becomes item id "pharmacists-info";
    /// languages and text languages are BCP 47 tags matched to the page's (<c>zh</c>, <c>zh-CN</c>, <c>zh-Hans</c> →
    /// 简体中文; <c>ko-KR</c> → 한국어; ones the page does not have are left out); an item without a text in a page
    /// language is shown in Japanese there, and the page says so. Throws <see cref="InvalidDataException"/> (message
    /// without personal data) when it cannot be shown.
    /// </summary>
    public static FacilitySettings FromTerminal(Terminal.FacilityConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var items = new List<ConsentItemDefinition>();
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var item in configuration.ConsentItems)
        {
            if (!Reader.Protocol.ReaderSide.SessionResultValidator.ConsentKeyPattern().IsMatch(item.Key))
            {
                throw new InvalidDataException($"consent key '{item.Key}' is not an OQS item name");
            }

            var titles = new Dictionary<string, string>(StringComparer.Ordinal);
            var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
            // An exact page code (zh-Hans) wins over another tag that maps to the same language (zh, zh-CN).
            foreach (var (tag, text) in item.Texts.OrderBy(t => KioskLanguages.IsSupported(t.Key) ? 0 : 1))
            {
                if (KioskLanguages.Resolve(tag) is { } language && !titles.ContainsKey(language) && !string.IsNullOrWhiteSpace(text.Title))
                {
                    titles[language] = text.Title;
                    descriptions[language] = string.IsNullOrWhiteSpace(text.Description) ? text.Title : text.Description;
                }
            }

            if (!titles.ContainsKey(KioskLanguages.Default))
            {
                throw new InvalidDataException($"consent item '{item.Key}' has no Japanese text");
            }

            var id = JsonNamingPolicy.KebabCaseLower.ConvertName(item.Key);
            items.Add(new ConsentItemDefinition(id, titles, descriptions));
            keys[id] = [item.Key];
        }

        ConsentCatalog.Validate(items);
        var languages = configuration.Languages.Select(KioskLanguages.Resolve).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        languages.Remove(KioskLanguages.Default);
        languages.Insert(0, KioskLanguages.Default);
        return new FacilitySettings
        {
            ConsentItems = items,
            ConsentKeys = keys,
            EPrescription = configuration.EPrescription,
            Languages = languages,
            VisualCheckAutoReturn = configuration.VisualCheckAutoReturnSeconds > 0 ? TimeSpan.FromSeconds(configuration.VisualCheckAutoReturnSeconds) : null,
            Version = configuration.Version,
        };
    }
}
