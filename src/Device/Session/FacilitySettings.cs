using System.Text.Json;
using Reader.Kiosk.Contract;
using Terminal = Reader.Protocol.Contract;

namespace Reader.Device.Session;

/// <summary>
/// What the facility decided (pushed by the terminal, else the defaults): the consent items with their texts and
/// the OQS keys each one sets, e-prescription on/off, the page languages, and 目視's auto-return. A session takes
/// the settings in force when the card is placed; a push applies to the next patient.
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
    /// a language the terminal has no text for shows the Japanese text. Throws <see cref="InvalidDataException"/>
    /// (message without personal data) when it cannot be shown.
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

            var fallback = item.Texts.TryGetValue(KioskLanguages.Default, out var ja) ? ja
                : throw new InvalidDataException($"consent item '{item.Key}' has no Japanese text");
            var titles = new Dictionary<string, string>(StringComparer.Ordinal);
            var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var language in KioskLanguages.Codes)
            {
                var text = item.Texts.TryGetValue(language, out var own) && !string.IsNullOrWhiteSpace(own.Title) ? own : fallback;
                titles[language] = text.Title;
                descriptions[language] = text.Description;
            }

            var id = JsonNamingPolicy.KebabCaseLower.ConvertName(item.Key);
            items.Add(new ConsentItemDefinition(id, titles, descriptions));
            keys[id] = [item.Key];
        }

        ConsentCatalog.Validate(items);
        var languages = configuration.Languages.Where(l => KioskLanguages.Codes.Contains(l, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
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
