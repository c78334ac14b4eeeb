using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Reader.Kiosk.Hosting;

/// <summary>The page's files: the copy embedded in the assembly, or a folder on disk while working on the page.</summary>
internal sealed partial class PageAssets
{
    private const string ResourcePrefix = "wwwroot/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary();

    private readonly string? _root;
    private readonly FrozenDictionary<string, byte[]> _embedded;

    public PageAssets(string? staticRoot)
    {
        _root = staticRoot is null ? null : Path.GetFullPath(staticRoot);
        var assembly = typeof(PageAssets).Assembly;
        _embedded = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[ResourcePrefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }, StringComparer.Ordinal);
    }

    /// <summary>A file by its plain name (no folders), with its content type; null when there is none.</summary>
    public (byte[] Content, string ContentType)? Find(string name)
    {
        if (!SafeName().IsMatch(name) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        if (_root is not null)
        {
            var path = Path.Combine(_root, name);
            return File.Exists(path) ? (File.ReadAllBytes(path), contentType) : null;
        }

        return _embedded.TryGetValue(name, out var content) ? (content, contentType) : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*\\.[a-z0-9]+$")]
    private static partial Regex SafeName();
}
