using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;

namespace Reader.Device.Tests;

/// <summary>Configuration: built-in defaults, a JSON file, READER__ environment overrides, and clear validation messages.</summary>
[Collection("environment")]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reader-config-").FullName;

    [Fact]
    public void Defaults_alone_are_valid()
    {
        var options = ReaderConfiguration.LoadValidated(null, out _);
        Assert.Equal(14, options.Get<LoggingOptions>().RetainedDays);
        Assert.Equal(90, options.Get<CardOptions>().RenewalWindowDays);
    }

    [Fact]
    public void A_file_overrides_defaults_and_the_environment_overrides_the_file()
    {
        var file = Write("""{ "Logging": { "RetainedDays": 30 }, "Card": { "ReaderName": "From file" } }""");
        Environment.SetEnvironmentVariable("READER__Card__ReaderName", "From env");
        try
        {
            var options = ReaderConfiguration.LoadValidated(file, out _);
            Assert.Equal(30, options.Get<LoggingOptions>().RetainedDays);
            Assert.Equal("From env", options.Get<CardOptions>().ReaderName);
        }
        finally
        {
            Environment.SetEnvironmentVariable("READER__Card__ReaderName", null);
        }
    }

    [Fact]
    public void Invalid_values_name_the_key_and_the_problem()
    {
        var file = Write("""{ "Logging": { "RetainedDays": 0, "MinimumLevel": "Chatty" }, "Card": { "CardFaceIssuerKeys": [ { "KeyId": "abc", "PublicKey": "%%%" } ] } }""");
        var ex = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(file, out _));
        Assert.Contains(ex.Problems, p => p.StartsWith("Logging:RetainedDays:", StringComparison.Ordinal) && p.Contains("1..366", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Logging:MinimumLevel:", StringComparison.Ordinal) && p.Contains("Chatty", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Card:CardFaceIssuerKeys:0:KeyId:", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Card:CardFaceIssuerKeys:0:PublicKey:", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_types_unknown_keys_missing_files_and_bad_json_are_reported()
    {
        var wrongType = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(Write("""{ "Logging": { "RetainedDays": "many" } }"""), out _));
        Assert.Contains(wrongType.Problems, p => p.StartsWith("Logging:", StringComparison.Ordinal) && p.Contains("RetainedDays", StringComparison.Ordinal));
        var unknown = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(Write("""{ "Card": { "ReaderNmae": "x" } }"""), out _));
        Assert.Contains(unknown.Problems, p => p.StartsWith("Card:", StringComparison.Ordinal) && p.Contains("ReaderNmae", StringComparison.Ordinal));
        var missing = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(Path.Combine(_folder, "none.json"), out _));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var broken = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(Write("{ \"Card\": "), out _));
        Assert.Contains("not valid JSON", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_override_is_validated_too()
    {
        Environment.SetEnvironmentVariable("READER__Logging__FileSizeLimitMb", "0");
        try
        {
            var ex = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(null, out _));
            Assert.Contains(ex.Problems, p => p.StartsWith("Logging:FileSizeLimitMb:", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("READER__Logging__FileSizeLimitMb", null);
        }
    }

    [Fact]
    public void Other_areas_register_their_sections()
    {
        OptionsSections.Register<ExampleOptions>("Example");
        var ex = Assert.Throws<ConfigurationException>(() => ReaderConfiguration.LoadValidated(Write("""{ "Example": { "Level": 11 } }"""), out _));
        Assert.Contains("Example:Level: too high", ex.Problems);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    public sealed class ExampleOptions : IReaderOptions
    {
        public int Level { get; set; }

        public IEnumerable<string> Validate()
        {
            if (Level > 10)
            {
                yield return "Level: too high";
            }
        }
    }
}

[CollectionDefinition("environment", DisableParallelization = true)]
public sealed class EnvironmentGroup
{
}
