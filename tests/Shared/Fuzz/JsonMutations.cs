using System.Globalization;
using System.Text;

namespace Reader.TestSupport;

/// <summary>The JSON-aware mutations of <see cref="ByteMutator"/> (<see cref="MutationProfile.Json"/>).</summary>
internal static class JsonMutations
{
    /// <summary>Puts <paramref name="bytes"/> just inside a string (after a random quote): invalid UTF-8 or escapes in names and values.</summary>
    public static void InsertInsideString(Random random, List<byte> data, byte[] bytes)
    {
        var quotes = Enumerable.Range(0, data.Count).Where(i => data[i] == (byte)'"').ToList();
        if (quotes.Count > 0)
        {
            data.InsertRange(quotes[random.Next(quotes.Count)] + 1, bytes);
        }
    }

    /// <summary>Swaps the value after a random colon for another JSON value of any type (a token, a long string, a number).</summary>
    public static void ReplaceValue(Random random, List<byte> data, IReadOnlyList<byte[]> tokens)
    {
        var colons = Enumerable.Range(0, data.Count).Where(i => data[i] == (byte)':').ToList();
        if (colons.Count == 0)
        {
            return;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var end = start;
        var nesting = 0;
        var inString = false;
        while (end < data.Count)
        {
            var b = data[end];
            if (inString)
            {
                inString = b != (byte)'"' || data[end - 1] == (byte)'\\';
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                nesting++;
            }
            else if (b is (byte)'}' or (byte)']')
            {
                if (nesting-- == 0)
                {
                    break;
                }
            }
            else if (b == (byte)',' && nesting == 0)
            {
                break;
            }

            end++;
        }

        var replacement = random.Next(3) switch
        {
            0 => tokens[random.Next(tokens.Count)],
            1 => Encoding.UTF8.GetBytes("\"" + new string('A', random.Next(0, 300)) + "\""),
            _ => Encoding.UTF8.GetBytes(random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture)),
        };
        data.RemoveRange(start, end - start);
        data.InsertRange(start, replacement);
    }
}
