using System.Globalization;

namespace Reader.Vision.Bench.Evaluation;

/// <summary>One labelled image of an evaluation set.</summary>
public sealed record LabelledImage(string Path, string Identity);

/// <summary>
/// A CSV <c>file,identity</c> (header optional, paths relative to the CSV's folder), the input
/// of <c>reader-vision eval</c> and <c>calibrate</c>.
/// </summary>
public static class LabelledImages
{
    /// <summary>Reads the CSV. Lines that are empty or start with '#' are skipped.</summary>
    public static IReadOnlyList<LabelledImage> Load(string csvPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath)) ?? ".";
        var images = new List<LabelledImage>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(csvPath))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0 || comma == line.Length - 1)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{csvPath}:{lineNumber}: expected file,identity"));
            }

            var file = line[..comma].Trim().Trim('"');
            var identity = line[(comma + 1)..].Trim().Trim('"');
            if (lineNumber == 1 && file.Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            images.Add(new LabelledImage(System.IO.Path.Combine(folder, file), identity));
        }

        return images;
    }
}
