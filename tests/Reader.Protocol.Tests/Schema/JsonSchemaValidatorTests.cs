using System.Text.Json;

namespace Reader.Protocol.Tests.Schema;

/// <summary>The contract's schemas, loaded into JsonSchema.Net, reject what each keyword forbids (so "valid" means something).</summary>
public sealed class JsonSchemaValidatorTests
{
    private static readonly JsonSchemaValidator Validator = new(Path.Combine(JsonSchemaValidator.ContractDirectory, "schemas"));

    private const string ValidStatus = """{"v":1,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":false,"at":"2026-01-02T03:04:05.123+00:00"}""";

    [Fact]
    public void A_valid_status_passes() => Assert.Empty(Validate("status.schema.json", ValidStatus));

    [Theory]
    [InlineData("""{"v":2,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":false,"at":"2026-01-02T03:04:05Z"}""", "/v: ", "const")]
    [InlineData("""{"v":1,"readerId":"RDR-A001","state":"online","mode":"automatic","sessionActive":false,"at":"2026-01-02T03:04:05Z"}""", "/readerId: ", "pattern")]
    [InlineData("""{"v":1,"readerId":"rdr-a001","state":"asleep","mode":"automatic","sessionActive":false,"at":"2026-01-02T03:04:05Z"}""", "/state: ", "enum")]
    [InlineData("""{"v":1,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":"no","at":"2026-01-02T03:04:05Z"}""", "/sessionActive: ", "type")]
    [InlineData("""{"v":1,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":false}""", "$: ", "[\"at\"]")]
    [InlineData("""{"v":1,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":false,"at":"yesterday"}""", "/at: ", "date-time")]
    [InlineData("""{"v":1,"readerId":"rdr-a001","state":"online","mode":"automatic","sessionActive":false,"at":"2026-01-02T03:04:05Z","name":"x"}""", "/name: ", "additionalProperties")]
    public void Each_keyword_rejects_what_it_forbids(string json, string location, string expected) =>
        Assert.Contains(Validate("status.schema.json", json), e => e.StartsWith(location, StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void OneOf_requires_the_fields_of_the_event_type()
    {
        const string placedWithoutCard = """{"v":1,"readerId":"rdr-a001","sessionId":"sess-00000001","eventId":"0123456789abcdef","type":"card-placed","at":"2026-01-02T03:04:05Z"}""";
        Assert.Contains(Validate("event.schema.json", placedWithoutCard), e => e.Contains("oneOf", StringComparison.Ordinal));
        Assert.Empty(Validate("event.schema.json", placedWithoutCard.Replace("\"at\"", "\"card\":\"my-number\",\"at\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Refs_reach_other_files_and_local_defs()
    {
        const string badConfig = """{"v":1,"requestId":"r1","issuedAt":"2026-01-02T03:04:05Z","configuration":{"version":0,"consentItems":[],"ePrescription":true,"languages":["ja"],"visualCheckAutoReturnSeconds":0}}""";
        Assert.Contains(Validate("command-push-config.schema.json", badConfig), e => e.StartsWith("/configuration/version: ", StringComparison.Ordinal) && e.Contains("minimum", StringComparison.Ordinal));
        const string badLanguageKey = """{"v":1,"requestId":"r1","issuedAt":"2026-01-02T03:04:05Z","configuration":{"version":1,"consentItems":[{"key":"PharmacistsInfo","texts":{"Japanese":{"title":"t","description":"d"}}}],"ePrescription":true,"languages":["ja"],"visualCheckAutoReturnSeconds":0}}""";
        Assert.Contains(Validate("command-push-config.schema.json", badLanguageKey), e => e.Contains("/configuration/consentItems/0/texts", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_keyword_is_an_error_not_a_silent_pass()
    {
        string directory = Path.Combine(Path.GetTempPath(), "schema-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "x.schema.json"), """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string","minLenght":3}""");
            var validator = new JsonSchemaValidator(directory);
            Assert.Throws<NotSupportedException>(() => validator.Validate("x.schema.json", "\"a\""u8));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IReadOnlyList<string> Validate(string schema, string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Validator.Validate(schema, document.RootElement);
    }
}
