using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Reader.Shared.Storage;

namespace Reader.Kiosk.Hosting;

/// <summary>
/// The per-boot secret that binds the kiosk page to the browser the launcher started: the launcher opens
/// <c>/?key=…</c> (read from <see cref="KioskHostOptions.AccessKeyFile"/>), the host answers with an HttpOnly,
/// SameSite=Strict session cookie and a redirect to <c>/</c>, and every <c>/api/*</c> request (state, events,
/// actions, preview, strings, voice; not the launcher's <c>/api/health</c>) must carry that cookie. Another local
/// process can reach the loopback port but does not know the key.
/// </summary>
internal sealed class KioskAccessKey
{
    public const string QueryName = "key";
    public const string CookieName = "reader-kiosk";
    private const int KeyBytes = 32;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[] _key;

    private KioskAccessKey(string value)
    {
        Value = value;
        _key = Encoding.ASCII.GetBytes(value);
    }

    /// <summary>The key as the launcher passes it: 43 characters of base64url.</summary>
    public string Value { get; }

    /// <summary>
    /// The key in <paramref name="file"/> when it holds a valid one (a per-boot file survives a restart of the service,
    /// so the running browser stays bound); otherwise a new one, written there (0600, durably). No file: a key for
    /// this host alone.
    /// </summary>
    public static KioskAccessKey LoadOrCreate(string? file)
    {
        if (file is null)
        {
            return new KioskAccessKey(NewValue());
        }

        if (TryRead(file) is { } existing)
        {
            return new KioskAccessKey(existing);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the kiosk key file is written owner-only on Linux");
        }

        string value = NewValue();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        SecureFile.WriteAllText(file, value + "\n", SecureFile.OwnerOnly);
        return new KioskAccessKey(value);
    }

    /// <summary>Whether <paramref name="presented"/> is the key (constant time).</summary>
    public bool Matches(string? presented) =>
        presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(_key, Encoding.ASCII.GetBytes(presented));

    /// <summary>The access rule, after the loopback guard: the page is public, its API is the launcher's browser's alone.</summary>
    public async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var path = request.Path;
        if (path == "/" && request.Query.TryGetValue(QueryName, out var offered))
        {
            if (!Matches(offered.ToString()))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            // The cookie lives in the kiosk browser's memory (incognito); the key leaves the address bar at once.
            context.Response.Cookies.Append(CookieName, Value, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
            return;
        }

        if (path.StartsWithSegments("/api") && path != "/api/health" && !Matches(request.Cookies[CookieName]))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next(context);
    }

    private static string NewValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));

    private static string? TryRead(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists || info.LinkTarget is not null || (info.UnixFileMode & ~OwnerOnly) != 0 || info.Length > 64)
        {
            return null;
        }

        string value = File.ReadAllText(file).TrimEnd('\n');
        return value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;
    }
}
