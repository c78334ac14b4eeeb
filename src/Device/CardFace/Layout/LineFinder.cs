using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.CardFace.Layout;

/// <summary>Which ink group of the line to keep.</summary>
public enum LinePart
{
    /// <summary>From the first ink to the first wide gap (the date, not the 性別 printed after it).</summary>
    First,

    /// <summary>The last group (the security code after the serial).</summary>
    Last,
}

/// <summary>A printed line found in a band, in upright-card pixels, with the quality signals the prompt needs.</summary>
public readonly record struct FoundLine(PixelRect Box, double GlareFraction, double Contrast);

/// <summary>
/// Finds the one printed line in a band of the upright card: ink is what is darker than the band's Otsu threshold,
/// the line is the row run with the most ink, its words are column runs, and a gap wider than the line's height ends
/// a group.
/// </summary>
public static class LineFinder
{
    public static FoundLine? Find(PixelBuffer upright, FieldBand band, LinePart part)
    {
        ArgumentNullException.ThrowIfNull(upright);
        var ppm = CardFaceLayout.PixelsPerMm;
        var area = new PixelRect((int)(band.Left * ppm), (int)(band.Top * ppm), (int)((band.Right - band.Left) * ppm), (int)((band.Bottom - band.Top) * ppm))
            .ClampTo(upright.Width, upright.Height);
        if (area.IsEmpty)
        {
            return null;
        }

        using var crop = ImageOps.Crop(upright, area);
        var pixels = crop.Pixels;
        int w = crop.Width, h = crop.Height;
        var saturated = 0;
        foreach (var p in pixels)
        {
            if (p >= 250)
            {
                saturated++;
            }
        }

        var glare = (double)saturated / pixels.Length;
        var threshold = Locating.CardLocator.Otsu(pixels, out var separation);
        if (separation < 25)
        {
            return new FoundLine(default, glare, separation);
        }

        // Rows: ink per row; the line is the run of inked rows with the most ink.
        Span<int> rowInk = stackalloc int[h];
        for (var y = 0; y < h; y++)
        {
            var row = pixels.Slice(y * w, w);
            var count = 0;
            foreach (var p in row)
            {
                if (p < threshold)
                {
                    count++;
                }
            }

            rowInk[y] = count;
        }

        var minimumRowInk = Math.Max(2, w / 100);
        int bestStart = -1, bestEnd = -1, bestMass = 0;
        for (var y = 0; y < h;)
        {
            if (rowInk[y] < minimumRowInk)
            {
                y++;
                continue;
            }

            var start = y;
            var mass = 0;
            while (y < h && rowInk[y] >= minimumRowInk)
            {
                mass += rowInk[y++];
            }

            if (mass > bestMass)
            {
                (bestStart, bestEnd, bestMass) = (start, y, mass);
            }
        }

        var lineHeight = bestEnd - bestStart;
        if (bestStart < 0 || lineHeight < ppm * 0.6)
        {
            return new FoundLine(default, glare, separation);
        }

        // Columns inside the line: runs of inked columns, grouped while gaps stay narrower than the line height.
        Span<bool> inked = stackalloc bool[w];
        for (var x = 0; x < w; x++)
        {
            for (var y = bestStart; y < bestEnd; y++)
            {
                if (pixels[(y * w) + x] < threshold)
                {
                    inked[x] = true;
                    break;
                }
            }
        }

        var groups = new List<(int Start, int End)>();
        var gapLimit = Math.Max(4, (int)(lineHeight * 1.0));
        int? groupStart = null;
        var lastInk = -1;
        for (var x = 0; x < w; x++)
        {
            if (!inked[x])
            {
                continue;
            }

            if (groupStart is null)
            {
                groupStart = x;
            }
            else if (x - lastInk > gapLimit)
            {
                groups.Add((groupStart.Value, lastInk + 1));
                groupStart = x;
            }

            lastInk = x;
        }

        if (groupStart is not null)
        {
            groups.Add((groupStart.Value, lastInk + 1));
        }

        // Specks (noise, guilloche crossings) are not groups: a group is at least half a character wide.
        groups.RemoveAll(g => g.End - g.Start < lineHeight / 2);
        if (groups.Count == 0)
        {
            return new FoundLine(default, glare, separation);
        }

        var chosen = part == LinePart.First ? groups[0] : groups[^1];
        var pad = Math.Max(3, lineHeight / 3);
        var box = new PixelRect(area.X + chosen.Start - pad, area.Y + bestStart - pad, chosen.End - chosen.Start + (2 * pad), lineHeight + (2 * pad))
            .ClampTo(upright.Width, upright.Height);
        return new FoundLine(box, glare, separation);
    }
}
