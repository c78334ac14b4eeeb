using Microsoft.Extensions.Configuration;

namespace Reader.Device.Hosting;

/// <summary>
/// Configuration = embedded defaults (so nothing is needed to start), then an optional JSON file
/// (<c>--config</c>), then environment variables with the prefix READER__ (e.g. READER__Card__ReaderName).
/// </summary>
public static class ReaderConfiguration
{
    public const string EnvironmentPrefix = "READER__";

    public static IConfigurationRoot Load(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        using var defaults = typeof(ReaderConfiguration).Assembly.GetManifestResourceStream("Reader.Device.appsettings.default.json")
            ?? throw new InvalidOperationException("embedded default configuration missing");
        var copy = new MemoryStream();
        defaults.CopyTo(copy);
        copy.Position = 0;
        builder.AddJsonStream(copy);
        if (!string.IsNullOrEmpty(configFile))
        {
            if (!File.Exists(configFile))
            {
                throw new ConfigurationException([$"--config: file '{configFile}' does not exist"]);
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        try
        {
            return builder.Build();
        }
        catch (FormatException e)
        {
            throw new ConfigurationException([$"--config: '{configFile}' is not valid JSON: {e.Message}"]);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationException([$"--config: '{configFile}' is not valid JSON: {e.Message}"]);
        }
    }

    /// <summary>Loads, binds and validates every registered section.</summary>
    public static IReadOnlyDictionary<Type, object> LoadValidated(string? configFile, out IConfigurationRoot configuration)
    {
        configuration = Load(configFile);
        return OptionsSections.BindAndValidate(configuration);
    }
}
