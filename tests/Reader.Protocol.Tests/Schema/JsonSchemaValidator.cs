using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reader.Protocol.Tests.Schema;

/// <summary>
/// A compact JSON Schema (2020-12) validator for exactly the keywords contract/schemas uses. A
/// keyword it does not know is an error, so a schema can never ask for a check that silently does
/// not happen. Chosen over pinning ajv from npm: no Node in the test run, ~200 lines to review,
/// and its own tests (JsonSchemaValidatorTests) show each keyword rejecting what it should.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "$defs"];
    private static readonly Regex DateTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    private readonly string _directory;
    private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);

    public JsonSchemaValidator(string directory)
    {
        _directory = directory;
        foreach (string file in Directory.GetFiles(directory, "*.schema.json"))
        {
            _documents[Path.GetFileName(file)] = JsonDocument.Parse(File.ReadAllBytes(file)).RootElement;
        }
    }

    public IReadOnlyCollection<string> SchemaFiles => _documents.Keys;

    /// <summary>Errors (JSON path: message) of <paramref name="instance"/> against the schema file; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string schemaFile, JsonElement instance)
    {
        var errors = new List<string>();
        Check(schemaFile, Document(schemaFile), instance, "$", errors);
        return errors;
    }

    public IReadOnlyList<string> Validate(string schemaFile, ReadOnlySpan<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        return Validate(schemaFile, document.RootElement.Clone());
    }

    private JsonElement Document(string file) =>
        _documents.TryGetValue(file, out JsonElement schema) ? schema : throw new InvalidOperationException($"no schema {file} in {_directory}");

    private void Check(string file, JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        foreach (JsonProperty keyword in schema.EnumerateObject())
        {
            JsonElement k = keyword.Value;
            switch (keyword.Name)
            {
                case var annotation when Annotations.Contains(annotation):
                    break;
                case "$ref":
                    (string refFile, JsonElement target) = Resolve(file, k.GetString()!);
                    Check(refFile, target, value, path, errors);
                    break;
                case "type":
                    if (!(k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Any(t => IsType(value, t.GetString()!)) : IsType(value, k.GetString()!)))
                    {
                        errors.Add($"{path}: expected {k}, got {value.ValueKind}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value))
                    {
                        errors.Add($"{path}: must be {k}");
                    }

                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
                    {
                        errors.Add($"{path}: {value} is not one of {k}");
                    }

                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, k.GetString()!, RegexOptions.CultureInvariant))
                    {
                        errors.Add($"{path}: does not match {k.GetString()}");
                    }

                    break;
                case "minLength":
                    if (value.ValueKind == JsonValueKind.String && Length(value) < k.GetInt32())
                    {
                        errors.Add($"{path}: shorter than {k}");
                    }

                    break;
                case "maxLength":
                    if (value.ValueKind == JsonValueKind.String && Length(value) > k.GetInt32())
                    {
                        errors.Add($"{path}: longer than {k}");
                    }

                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDecimal() < k.GetDecimal())
                    {
                        errors.Add($"{path}: below {k}");
                    }

                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDecimal() > k.GetDecimal())
                    {
                        errors.Add($"{path}: above {k}");
                    }

                    break;
                case "format":
                    if (k.GetString() != "date-time")
                    {
                        throw new NotSupportedException($"format {k} in {file}");
                    }

                    if (value.ValueKind == JsonValueKind.String
                        && (!DateTime.IsMatch(value.GetString()!) || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
                    {
                        errors.Add($"{path}: not an RFC 3339 date-time");
                    }

                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonElement name in k.EnumerateArray())
                        {
                            if (!value.TryGetProperty(name.GetString()!, out _))
                            {
                                errors.Add($"{path}: missing {name.GetString()}");
                            }
                        }
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty property in k.EnumerateObject())
                        {
                            if (value.TryGetProperty(property.Name, out JsonElement child))
                            {
                                Check(file, property.Value, child, $"{path}.{property.Name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out JsonElement properties)
                            ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                            : [];
                        foreach (JsonProperty property in value.EnumerateObject().Where(p => !declared.Contains(p.Name)))
                        {
                            Check(file, k, property.Value, $"{path}.{property.Name}", errors);
                        }
                    }

                    break;
                case "propertyNames":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty property in value.EnumerateObject())
                        {
                            using JsonDocument name = JsonDocument.Parse(JsonSerializer.Serialize(property.Name));
                            Check(file, k, name.RootElement, $"{path}[name {property.Name}]", errors);
                        }
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        int index = 0;
                        foreach (JsonElement item in value.EnumerateArray())
                        {
                            Check(file, k, item, $"{path}[{index++}]", errors);
                        }
                    }

                    break;
                case "minItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < k.GetInt32())
                    {
                        errors.Add($"{path}: fewer than {k} items");
                    }

                    break;
                case "maxItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > k.GetInt32())
                    {
                        errors.Add($"{path}: more than {k} items");
                    }

                    break;
                case "oneOf":
                    int matching = k.EnumerateArray().Count(branch => Passes(file, branch, value, path));
                    if (matching != 1)
                    {
                        errors.Add($"{path}: matches {matching} of the oneOf branches, not exactly 1");
                    }

                    break;
                case "anyOf":
                    if (!k.EnumerateArray().Any(branch => Passes(file, branch, value, path)))
                    {
                        errors.Add($"{path}: matches none of anyOf");
                    }

                    break;
                case "allOf":
                    foreach (JsonElement branch in k.EnumerateArray())
                    {
                        Check(file, branch, value, path, errors);
                    }

                    break;
                default:
                    throw new NotSupportedException($"keyword '{keyword.Name}' in {file} is not supported by this validator");
            }
        }
    }

    private bool Passes(string file, JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(file, schema, value, path, errors);
        return errors.Count == 0;
    }

    private (string File, JsonElement Schema) Resolve(string currentFile, string reference)
    {
        int hash = reference.IndexOf('#', StringComparison.Ordinal);
        string file = hash == 0 ? currentFile : hash < 0 ? reference : reference[..hash];
        JsonElement target = Document(file);
        string pointer = hash < 0 ? string.Empty : reference[(hash + 1)..];
        foreach (string segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return (file, target);
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) && d == decimal.Truncate(d),
        _ => throw new NotSupportedException($"type {type}"),
    };

    private static int Length(JsonElement value) => new StringInfo(value.GetString()!).LengthInTextElements;

    /// <summary>src/Protocol/contract, copied beside the test assembly by the project file.</summary>
    public static string ContractDirectory => Path.Combine(AppContext.BaseDirectory, "contract");
}
