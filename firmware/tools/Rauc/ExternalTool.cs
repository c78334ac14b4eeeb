using System.ComponentModel;
using System.Diagnostics;

namespace Reader.Firmware.Rauc;

/// <summary>Runs rauc / unsquashfs / mksquashfs with an argument list (no shell), a time limit and cancellation.</summary>
internal static class ExternalTool
{
    /// <exception cref="ToolMissingException">The executable does not exist.</exception>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<ProcessResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Machine-readable, language-independent output.
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ToolMissingException(executable, ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>An external tool the firmware code needs is not installed.</summary>
internal sealed class ToolMissingException(string tool, Exception inner)
    : Exception($"{tool} is not installed (apt: rauc squashfs-tools)", inner);
