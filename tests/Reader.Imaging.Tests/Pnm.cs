using System.Diagnostics;
using System.Text;

namespace Reader.Imaging.Tests;

/// <summary>PGM/PPM files and the opj_* tools, for interop tests in a private temp folder.</summary>
internal static class Pnm
{
    internal static void Write(string path, PixelBuffer image)
    {
        Assert.NotEqual(PixelFormat.Bgr24, image.Format);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"{(image.Format == PixelFormat.Grey8 ? "P5" : "P6")}\n{image.Width} {image.Height}\n255\n"));
        file.Write(image.Pixels);
    }

    internal static PixelBuffer Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[at]) || data[at] == '#')
            {
                if (data[at] == '#')
                {
                    while (data[at] != '\n')
                    {
                        at++;
                    }
                }

                at++;
            }

            int start = at;
            while (!char.IsWhiteSpace((char)data[at]))
            {
                at++;
            }

            return Encoding.ASCII.GetString(data, start, at - start);
        }

        string magic = Token();
        int width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture), height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        at++;
        var image = PixelBuffer.Rent(width, height, magic == "P5" ? PixelFormat.Grey8 : PixelFormat.Rgb24);
        data.AsSpan(at, image.Length).CopyTo(image.Pixels);
        return image;
    }

    internal static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {output}");
    }
}

/// <summary>A temp folder removed at the end of the test.</summary>
internal sealed class TempFolder : IDisposable
{
    internal TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("reader-imaging-").FullName;
    }

    internal string Path { get; }

    internal string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
