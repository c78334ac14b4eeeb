using System.Text.Json;
using Json.Schema;

namespace Reader.Protocol.Tests.Schema;

/// <summary>
/// The contract's JSON Schemas (2020-12) loaded into JsonSchema.Net, a maintained validator of the whole
/// specification, with <c>format</c> checked (date-time, …) and cross-file <c>$ref</c>s resolved through one registry.
/// A keyword the library does not know is an error, not a silent pass: a schema can never ask for a check that does
/// not happen (a typo such as <c>minLenght</c> would otherwise be an annotation).
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
        AddAnnotationForUnknownKeywords = true,
        PreserveDroppedAnnotations = true,
    };

    private readonly string _directory;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public JsonSchemaValidator(string directory)
    {
        _directory = directory;
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        // common.schema.json first: the others $ref into it.
        foreach (string file in Directory.GetFiles(directory, "*.schema.json").OrderBy(f => Path.GetFileName(f) == "common.schema.json" ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal))
        {
            _schemas[Path.GetFileName(file)] = JsonSchema.FromFile(file, build);
        }
    }

    public IReadOnlyCollection<string> SchemaFiles => _schemas.Keys;

    /// <summary>Errors ("instance location: schema path keyword: message") of <paramref name="instance"/>; empty when valid.</summary>
    /// <exception cref="NotSupportedException">The schema uses a keyword the validator does not know.</exception>
    public IReadOnlyList<string> Validate(string schemaFile, JsonElement instance)
    {
        var schema = _schemas.TryGetValue(schemaFile, out var found) ? found : throw new InvalidOperationException($"no schema {schemaFile} in {_directory}");
        var results = schema.Evaluate(instance, Options);
        var nodes = results.Details is { Count: > 0 } details ? details : [results];
        var unknown = nodes.Where(n => n.Annotations is not null && n.Annotations.ContainsKey("$unknownKeywords"))
            .Select(n => $"{n.EvaluationPath}: {n.Annotations!["$unknownKeywords"]}")
            .ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException($"{schemaFile} uses keywords the validator does not know: {string.Join("; ", unknown)}");
        }

        return results.IsValid
            ? []
            : [.. nodes.Where(n => n.Errors is not null).SelectMany(n => n.Errors!.Select(e =>
                $"{(n.InstanceLocation.ToString() is { Length: > 0 } at ? at : "$")}: {n.EvaluationPath} {e.Key}: {e.Value}"))];
    }

    public IReadOnlyList<string> Validate(string schemaFile, ReadOnlySpan<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        return Validate(schemaFile, document.RootElement.Clone());
    }

    /// <summary>src/Protocol/contract, copied beside the test assembly by the project file.</summary>
    public static string ContractDirectory => Path.Combine(AppContext.BaseDirectory, "contract");
}
