namespace Reader.Firmware.Rauc;

/// <summary>What an external tool printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty line of standard error: the tool's own summary of what went wrong.</summary>
    public string LastError =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
        ?? $"exit code {ExitCode}";
}
