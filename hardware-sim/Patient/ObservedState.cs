using System.Text.Json;

namespace Reader.HardwareSim.Patient;

/// <summary>One screen state as the kiosk pushed it (the JSON of the screen-state contract), with when it arrived.</summary>
public sealed record ObservedState(long Version, string Screen, string Language, JsonElement Json, TimeSpan At)
{
    /// <summary>The <c>screen</c> object (id and that screen's data).</summary>
    public JsonElement ScreenData => Json.GetProperty("screen");

    /// <summary>A string field of the screen (e.g. <c>guidance</c>, <c>reason</c>, <c>kind</c>), or null.</summary>
    public string? Text(string field) => ScreenData.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number field of the screen (e.g. <c>triesLeft</c>, <c>attempt</c>), or null.</summary>
    public int? Number(string field) => ScreenData.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    /// <summary>A boolean field of the screen (e.g. <c>pinOffered</c>), or null.</summary>
    public bool? Flag(string field) => ScreenData.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>The countdown's deadline and whether "more time" is offered, or null when the screen does not time out.</summary>
    public (DateTimeOffset Deadline, int TotalSeconds, bool ExtendOffered)? Countdown =>
        Json.TryGetProperty("countdown", out var c) && c.ValueKind == JsonValueKind.Object
            ? (c.GetProperty("deadline").GetDateTimeOffset(), c.GetProperty("totalSeconds").GetInt32(), c.GetProperty("extendOffered").GetBoolean())
            : null;

    /// <summary>True when the screen, its data, the language or the display settings differ (not only version or countdown).</summary>
    public bool DiffersFrom(ObservedState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Screen != other.Screen || Language != other.Language || ScreenData.GetRawText() != other.ScreenData.GetRawText()
            || Display() != other.Display();
    }

    private string Display() =>
        $"{(Json.TryGetProperty("largeText", out var large) ? large.GetRawText() : "")}|{(Json.TryGetProperty("highContrast", out var contrast) ? contrast.GetRawText() : "")}";

    public static ObservedState Parse(string json, TimeSpan at)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        return new ObservedState(root.GetProperty("version").GetInt64(), root.GetProperty("screen").GetProperty("id").GetString() ?? "?",
            root.TryGetProperty("language", out var language) ? language.GetString() ?? "ja" : "ja", root, at);
    }
}
