using System.Diagnostics;
using System.Text;

namespace Reader.Kiosk.Voice;

/// <summary>Runs a speech engine: text on stdin (UTF-8), WAV on stdout, killed after a time-out.</summary>
internal static class SpeechProcess
{
    public static async Task<byte[]> RunAsync(string fileName, IReadOnlyList<string> arguments, string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new VoiceException($"Cannot start {fileName}: {e.Message}", e);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var output = new MemoryStream();
            var reading = process.StandardOutput.BaseStream.CopyToAsync(output, deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.StandardInput.WriteAsync(text.AsMemory(), deadline.Token);
            process.StandardInput.Close();
            await reading;
            var errorText = await errors;
            await process.WaitForExitAsync(deadline.Token);
            if (process.ExitCode != 0)
            {
                throw new VoiceException($"{Path.GetFileName(fileName)} exited with {process.ExitCode}: {FirstLine(errorText)}");
            }

            return output.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VoiceException($"{Path.GetFileName(fileName)} took longer than {timeout.TotalSeconds:0} s.");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
