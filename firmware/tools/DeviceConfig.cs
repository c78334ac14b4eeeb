namespace Reader.Firmware;

/// <summary>The two facts the updater needs from RAUC's system.conf: the compatible string and the keyring path.</summary>
internal sealed record DeviceConfig(string Compatible, string? KeyringPath)
{
    /// <summary>Reads <c>[system] compatible</c> and <c>[keyring] path</c> (relative paths are relative to the file).</summary>
    /// <exception cref="InvalidDataException">No compatible string.</exception>
    public static DeviceConfig Load(string systemConf)
    {
        string? section = null, compatible = null, keyring = null;
        foreach (string raw in File.ReadLines(systemConf))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            string key = line[..eq].Trim(), value = line[(eq + 1)..].Trim();
            if (section == "system" && key == "compatible")
            {
                compatible = value;
            }
            else if (section == "keyring" && key == "path")
            {
                keyring = Path.IsPathRooted(value) ? value : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(systemConf))!, value);
            }
        }

        return string.IsNullOrEmpty(compatible)
            ? throw new InvalidDataException($"{systemConf} has no [system] compatible=")
            : new DeviceConfig(compatible, keyring);
    }
}
