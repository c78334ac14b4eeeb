namespace Reader.HardwareSim.Patient;

/// <summary>
/// The kiosk page as its launcher opens it: <c>http://127.0.0.1:port/?key=…</c>, the per-boot key read from the file
/// the reader service writes (<c>Kiosk:AccessKeyFile</c>). The page trades the key for its session cookie; clients
/// other than the browser (the state feed) send that cookie themselves.
/// </summary>
public static class KioskAddress
{
    private const string KeyParameter = "key=";

    /// <summary>The page address with the key from <paramref name="keyFile"/> (what kiosk.service hands to Chromium).</summary>
    public static Uri WithKeyFile(Uri kiosk, string keyFile)
    {
        ArgumentNullException.ThrowIfNull(kiosk);
        var key = File.ReadAllText(keyFile).Trim();
        return new Uri(new Uri(kiosk.GetLeftPart(UriPartial.Path)), "?" + KeyParameter + key);
    }

    /// <summary>The cookie the page holds after opening <paramref name="page"/>, for a client without a browser; null without a key.</summary>
    public static string? AccessCookie(Uri page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var key = page.Query.TrimStart('?').Split('&').FirstOrDefault(p => p.StartsWith(KeyParameter, StringComparison.Ordinal));
        return key is null ? null : "reader-kiosk=" + key[KeyParameter.Length..];
    }
}
