using System.Globalization;

namespace Reader.Firmware.State;

/// <summary>
/// The device's anti-rollback floor and the security version recorded per slot, as small text files in the state
/// directory (shared with the RAUC handlers in firmware/rauc/). Writes are write-temp, fsync, rename.
/// </summary>
internal sealed class SecurityFloor(string stateDirectory)
{
    public string FloorFile => Path.Combine(stateDirectory, "security-floor");

    public int Read() => ReadNumber(FloorFile) ?? 0;

    /// <summary>The security version the post-install handler recorded for <paramref name="slot"/>.</summary>
    public int? ReadSlot(string slot) => ReadNumber(SlotFile(slot));

    /// <summary>Raises the floor to <paramref name="securityVersion"/>; never lowers it. Returns the floor now in force.</summary>
    public int Raise(int securityVersion)
    {
        int current = Read();
        if (securityVersion <= current)
        {
            return current;
        }

        Directory.CreateDirectory(stateDirectory);
        string temp = FloorFile + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(securityVersion.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, FloorFile, overwrite: true);
        return securityVersion;
    }

    private string SlotFile(string slot) => Path.Combine(stateDirectory, "slots", slot + ".security-version");

    private static int? ReadNumber(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
    }
}
