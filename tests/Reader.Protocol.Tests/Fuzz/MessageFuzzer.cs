using System.Text;

namespace Reader.Protocol.Tests.Fuzz;

/// <summary>
/// Deterministic mutations of valid messages (bit flips, bytes that break JSON or UTF-8, cuts, splices, odd numbers
/// and escapes, deep nesting) plus some plain random bytes: what a broken or hostile peer could publish.
/// </summary>
internal sealed class MessageFuzzer(int seed, IReadOnlyList<byte[]> seeds)
{
    private static readonly byte[][] Interesting =
    [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00],
        "\""u8.ToArray(), "\\"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\\ud800"u8.ToArray(), "\\udfff\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(),
        "1e999999"u8.ToArray(), "-0"u8.ToArray(), "99999999999999999999999"u8.ToArray(), "-2147483649"u8.ToArray(), "0.5"u8.ToArray(),
        "\"9999-99-99T99:99:99Z\""u8.ToArray(), "\"\""u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(),
        "\"=\""u8.ToArray(), "\"!!\""u8.ToArray(), "\"QUJD\""u8.ToArray(), "\"zz\""u8.ToArray(),
    ];

    private readonly Random _random = new(seed);

    public IEnumerable<byte[]> Inputs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return _random.Next(20) == 0 ? RandomBytes() : Mutate(seeds[_random.Next(seeds.Count)]);
        }
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 600)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Mutate(byte[] original)
    {
        var data = new List<byte>(original);
        var rounds = 1 + _random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count);
            switch (_random.Next(10))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    data.InsertRange(at, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5 when data.Count > 1:
                    var from = _random.Next(data.Count);
                    var length = Math.Min(data.Count - from, 1 + _random.Next(64));
                    data.InsertRange(at, data.GetRange(from, length));
                    break;
                case 6:
                    ReplaceAfterQuote(data, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 7:
                    ReplaceValue(data);
                    break;
                case 8 when _random.Next(8) == 0:
                    var depth = 1 + _random.Next(200);
                    data.InsertRange(0, Enumerable.Repeat((byte)'[', depth));
                    break;
                default:
                    data.Insert(at, (byte)_random.Next(256));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Puts <paramref name="bytes"/> just inside a string (after a random quote): invalid UTF-8 or escapes in names and values.</summary>
    private void ReplaceAfterQuote(List<byte> data, byte[] bytes)
    {
        var quotes = Enumerable.Range(0, data.Count).Where(i => data[i] == (byte)'"').ToList();
        if (quotes.Count > 0)
        {
            data.InsertRange(quotes[_random.Next(quotes.Count)] + 1, bytes);
        }
    }

    /// <summary>Swaps the value after a random colon for another JSON value of any type.</summary>
    private void ReplaceValue(List<byte> data)
    {
        var colons = Enumerable.Range(0, data.Count).Where(i => data[i] == (byte)':').ToList();
        if (colons.Count == 0)
        {
            return;
        }

        var start = colons[_random.Next(colons.Count)] + 1;
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

        var replacement = _random.Next(3) switch
        {
            0 => Interesting[_random.Next(Interesting.Length)],
            1 => Encoding.UTF8.GetBytes("\"" + new string('A', _random.Next(0, 300)) + "\""),
            _ => Encoding.UTF8.GetBytes(_random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        data.RemoveRange(start, end - start);
        data.InsertRange(start, replacement);
    }
}
