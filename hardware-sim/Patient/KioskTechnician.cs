using System.Runtime.Versioning;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// The technician who pairs a new reader: reads the one-time code off the kiosk's pairing screen (the rendered
/// page, the only place the reader shows it) and types it at the clinic terminal.
/// </summary>
[SupportedOSPlatform("linux")]
public static class KioskTechnician
{
    /// <summary>The code as the pairing screen shows it.</summary>
    public static async Task<string> ReadPairingCodeAsync(KioskPatient page, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var shown = await page.WaitUntilAsync(s => s.Screen == "pairing" && s.Text("code") is { Length: 6 }, "the pairing screen with a code", cancellationToken, timeout);
        var onScreen = (await page.Page.Locator(".pairing-code").TextContentAsync())?.Trim() ?? "";
        if (onScreen.Length != 6 || !onScreen.All(char.IsAsciiDigit) || onScreen != shown.Text("code"))
        {
            throw new PatientScriptException($"the pairing screen shows '{onScreen}', not the code it was sent");
        }

        page.Note("technician reads the pairing code off the screen");
        return onScreen;
    }

    /// <summary>Reads the code off the page and enters it at the terminal; returns the reader id the terminal paired.</summary>
    public static async Task<string> PairAsync(KioskPatient page, TerminalOperator terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var code = await ReadPairingCodeAsync(page, cancellationToken);
        var paired = await terminal.PairAsync(code, cancellationToken);
        page.Note($"terminal paired with {paired.ReaderId}");
        await page.WaitUntilAsync(s => s.Screen != "pairing", "the reader to leave the pairing screen", cancellationToken);
        return paired.ReaderId;
    }
}
