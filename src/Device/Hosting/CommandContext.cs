using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reader.Device.Hosting;

/// <summary>What every device verb shares: the --config option, loading + validating configuration, JSON output.</summary>
public static class CommandContext
{
    public static Option<string?> ConfigOption { get; } = new("--config")
    {
        Description = "JSON configuration file (defaults are built in; environment variables READER__Section__Key override)",
        Recursive = true,
    };

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One-line JSON (the last line of bench and eval output).</summary>
    public static JsonSerializerOptions JsonLine { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Loads and validates the configuration; on problems prints each (key + what is wrong) and returns null.</summary>
    public static IReadOnlyDictionary<Type, object>? LoadOptions(ParseResult parse, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return ReaderConfiguration.LoadValidated(parse.GetValue(ConfigOption), out _);
        }
        catch (ConfigurationException e)
        {
            errors.WriteLine("reader-device: " + e.Message);
            return null;
        }
    }

    public static T Get<T>(this IReadOnlyDictionary<Type, object> options) => (T)options[typeof(T)];
}
