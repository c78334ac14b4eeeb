using System.Text;
using System.Text.Json;
using Reader.Kiosk.Contract;
using Reader.TestSupport;

namespace Reader.Kiosk.Tests;

/// <summary>
/// The body of <c>POST /api/action</c> is bytes from outside the service (the page, or any local process holding the
/// kiosk key): the parser reads it into an action or refuses it with a <see cref="JsonException"/>, the one failure
/// <c>ActionEndpoint</c> turns into 400 malformed-action. Anything else thrown would escape as a 500 (issue 13 item 8:
/// every parser of outside bytes is fuzzed with at least 100k inputs).
/// </summary>
public class ActionFuzzTests
{
    private const int Inputs = 100_000;

    private static readonly string[] Seeds =
    [
        """{"type":"cancel","stateVersion":4}""",
        """{"stateVersion":4,"type":"extend-time"}""",
        """{"type":"set-language","language":"zh-Hans","stateVersion":12}""",
        """{"type":"set-large-text","enabled":true}""",
        """{"type":"set-high-contrast","enabled":false}""",
        """{"type":"choose-method","method":"face","stateVersion":9}""",
        """{"type":"choose-registration","register":true}""",
        """{"type":"submit-pin","pin":"0815","stateVersion":2}""",
        """{"type":"set-consent-item","itemId":"ehr-tests","agreed":false,"stateVersion":30}""",
        """{"type":"consent-to-none","stateVersion":31}""",
        """{"type":"confirm-consent"}""",
        """{"type":"choose-prescription","form":"electronic"}""",
        """{"type":"proceed"}""",
        """{"type":"back"}""",
        """{"type":"retry-face"}""",
        """{"type":"call-staff"}""",
    ];

    private static readonly byte[][] Interesting =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00],
        "\""u8.ToArray(), "\\"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(),
        ":"u8.ToArray(), "\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(), "1e999999"u8.ToArray(),
        "-0"u8.ToArray(), "99999999999999999999999"u8.ToArray(), "-9223372036854775809"u8.ToArray(), "0.5"u8.ToArray(),
        "\"\""u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(), "\"type\":"u8.ToArray(), "\"pin\":"u8.ToArray(), "\"$type\":"u8.ToArray(),
        "\"submit-pin\""u8.ToArray(), "\"１２３４\""u8.ToArray(), "\"12\\u00334\""u8.ToArray(),
    ];

    private static readonly MutationProfile Bodies = new() { Tokens = Interesting };

    [Fact]
    public void Action_bodies_parse_or_are_refused_as_malformed_never_thrown_otherwise()
    {
        var random = new Random(2026);
        var seeds = Seeds.Select(Encoding.UTF8.GetBytes).ToArray();
        int parsed = 0, refused = 0;
        var unexpected = new List<string>();
        for (var i = 0; i < Inputs; i++)
        {
            var input = ByteMutator.Next(random, seeds, Bodies, maxNoiseLength: 299);
            try
            {
                var action = KioskJson.DeserializeAction(input);
                if (action is KioskAction.SubmitPin pin)
                {
                    // A PIN that parsed is 1 to 16 ASCII digits, whatever the body looked like.
                    Assert.True(pin.Pin.Ascii.Length is > 0 and <= 16 && pin.Pin.Ascii.ToArray().All(b => b is >= (byte)'0' and <= (byte)'9'), "a PIN that is not digits was accepted");
                    pin.Pin.Dispose();
                }

                parsed++;
            }
            catch (JsonException)
            {
                refused++;
            }
            catch (Exception e) when (unexpected.Count < 10)
            {
                unexpected.Add($"{e.GetType().Name}: {e.Message} on {Convert.ToHexString(input)}");
            }
            catch (Exception)
            {
            }
        }

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.True(parsed > 1000 && refused > 1000, $"parsed {parsed}, refused {refused}: the mutations should reach both sides");
    }
}
