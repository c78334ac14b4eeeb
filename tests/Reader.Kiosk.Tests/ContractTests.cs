using System.Text.Json;
using System.Text.RegularExpressions;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

public class ContractTests
{
    public static TheoryData<string> ScreenNames() => [.. ScreenCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScreenNames))]
    public void Every_screen_round_trips_through_the_wire_format(string name)
    {
        var screen = ScreenCatalog.All.Single(s => s.Name == name).Screen;
        var state = new ScreenState { Version = 7, Screen = screen, Language = "vi", Countdown = new Countdown(DateTimeOffset.UnixEpoch, 60) };

        var json = KioskJson.Serialize(state);
        var back = KioskJson.DeserializeState(json)!;

        Assert.Equal(KioskJson.Serialize(back), json);
        using var document = JsonDocument.Parse(json);
        var wireScreen = document.RootElement.GetProperty("screen");
        Assert.Matches("^[a-z]+(-[a-z]+)*$", wireScreen.GetProperty("id").GetString());
        Assert.True(VoicePrompts.IsKnown(wireScreen.GetProperty("voicePrompt").GetString()!));
    }

    [Fact]
    public void The_wire_format_is_camel_case_with_kebab_case_enums()
    {
        var json = KioskJson.Serialize(new ScreenState { Version = 3, Screen = new KioskScreen.CardError(CardErrorKind.NotMyNumberCard) });

        Assert.Contains("\"screen\":{\"id\":\"card-error\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"not-my-number-card\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"002\"", json, StringComparison.Ordinal);
        Assert.Contains("\"voicePrompt\":\"card-error.not-my-number-card\"", json, StringComparison.Ordinal);
        Assert.Contains("\"language\":\"ja\"", json, StringComparison.Ordinal);
        Assert.Contains("\"largeText\":false", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CardErrorKind.Unreadable, null, "001")]
    [InlineData(CardErrorKind.NotMyNumberCard, null, "002")]
    [InlineData(CardErrorKind.CertificateExpired, null, "006")]
    [InlineData(CardErrorKind.Other, "107", "107")]
    [InlineData(CardErrorKind.Other, "<b>", null)]
    [InlineData(CardErrorKind.ReceptionRequired, "9", "9")]
    public void Card_errors_carry_the_code_shown_to_patient_and_staff(CardErrorKind kind, string? detail, string? expected) =>
        Assert.Equal(expected, new KioskScreen.CardError(kind, detail).Code);

    [Theory]
    [InlineData("""{"type":"cancel","stateVersion":4}""", typeof(KioskAction.Cancel))]
    [InlineData("""{"stateVersion":4,"type":"extend-time"}""", typeof(KioskAction.ExtendTime))]
    [InlineData("""{"type":"set-language","language":"ko"}""", typeof(KioskAction.SetLanguage))]
    [InlineData("""{"type":"choose-method","method":"pin"}""", typeof(KioskAction.ChooseMethod))]
    [InlineData("""{"type":"choose-registration","register":true}""", typeof(KioskAction.ChooseRegistration))]
    [InlineData("""{"type":"set-consent-item","itemId":"ehr-tests","agreed":false}""", typeof(KioskAction.SetConsentItem))]
    [InlineData("""{"type":"choose-prescription","form":"electronic"}""", typeof(KioskAction.ChoosePrescription))]
    [InlineData("""{"type":"proceed"}""", typeof(KioskAction.Proceed))]
    public void Actions_are_read_from_the_page_json(string json, Type expected)
    {
        var action = KioskJson.DeserializeAction(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.IsType(expected, action);
    }

    [Theory]
    [InlineData("""{"type":"launch-missiles"}""")]
    [InlineData("""{"type":"choose-method","method":"retina"}""")]
    [InlineData("""{"type":"choose-method","method":1}""")]
    [InlineData("""{"type":"submit-pin","pin":"12a4"}""")]
    [InlineData("""{"type":"submit-pin","pin":""}""")]
    [InlineData("""{"type":"submit-pin","pin":1234}""")]
    [InlineData("""{"type":"submit-pin","pin":"\u0031234"}""")]
    [InlineData("""{"type":"submit-pin","pin":"12345678901234567"}""")]
    [InlineData("""{"type":"set-language"}""")]
    public void Malformed_actions_are_refused_without_echoing_the_input(string json)
    {
        var e = Assert.ThrowsAny<JsonException>(() => KioskJson.DeserializeAction(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.DoesNotContain("12a4", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_is_read_as_bytes_prints_as_asterisks_cannot_be_serialised_and_is_wiped()
    {
        var action = (KioskAction.SubmitPin)KioskJson.DeserializeAction("""{"type":"submit-pin","pin":"0815","stateVersion":2}"""u8)!;

        Assert.Equal("0815"u8.ToArray(), action.Pin.Ascii.ToArray());
        Assert.DoesNotContain("0815", action.ToString(), StringComparison.Ordinal);
        Assert.Contains("****", action.ToString(), StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize<KioskAction>(action, KioskJson.Options));

        using var copy = action.Pin.Copy();
        action.Pin.Dispose();
        Assert.Throws<ObjectDisposedException>(() => action.Pin.Ascii.ToArray());
        Assert.Equal("0815"u8.ToArray(), copy.Ascii.ToArray());
    }

    [Fact]
    public void The_publisher_stamps_strictly_increasing_versions()
    {
        var publisher = new ScreenStatePublisher();
        var first = publisher.Current.Version;
        var a = publisher.Publish(new ScreenState { Screen = new KioskScreen.Reading(), Version = 999 });
        var b = publisher.Update(s => s with { LargeText = true });

        Assert.Equal(first + 1, a.Version);
        Assert.Equal(first + 2, b.Version);
        Assert.True(b.LargeText);
        Assert.IsType<KioskScreen.Reading>(b.Screen);
    }

    [Fact]
    public void The_publisher_finds_the_current_state_and_the_last_sixteen_before_it_and_no_older()
    {
        var publisher = new ScreenStatePublisher();
        var first = publisher.Current;
        var stamped = Enumerable.Range(0, ScreenStatePublisher.RecentKept).Select(_ => publisher.Update(s => s with { LargeText = !s.LargeText })).ToList();

        Assert.Equal(first, publisher.Recent(first.Version));
        Assert.Equal(stamped[^1], publisher.Recent(publisher.Current.Version));
        Assert.Equal(stamped[3], publisher.Recent(stamped[3].Version));

        publisher.Update(s => s with { LargeText = !s.LargeText });
        Assert.Null(publisher.Recent(first.Version));
        Assert.Equal(stamped[0], publisher.Recent(stamped[0].Version));
        Assert.Null(publisher.Recent(publisher.Current.Version + 1));
    }

    [Fact]
    public async Task A_watcher_gets_the_current_state_then_only_the_newest()
    {
        var publisher = new ScreenStatePublisher();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = publisher.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(publisher.Current.Version, watch.Current.Version);

        publisher.Publish(publisher.Current with { Screen = new KioskScreen.Reading() });
        publisher.Publish(publisher.Current with { Screen = new KioskScreen.Registration() });
        var last = publisher.Publish(publisher.Current with { Screen = new KioskScreen.ConsentTop() });

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(last.Version, watch.Current.Version);
        Assert.Equal(1, publisher.WatcherCount);
    }

    [Fact]
    public void Every_string_table_has_exactly_the_japanese_keys_and_placeholders()
    {
        var japanese = KioskStrings.For("ja")!;
        foreach (var language in KioskLanguages.Codes)
        {
            var table = KioskStrings.For(language)!;
            Assert.Equal(japanese.Keys.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, text) in table)
            {
                Assert.False(string.IsNullOrWhiteSpace(text), $"{language}:{key} is empty");
                Assert.Equal(Placeholders(japanese[key]), Placeholders(text));
            }
        }
    }

    [Fact]
    public void Every_voice_prompt_has_a_text_in_every_language_and_every_screen_speaks_a_known_prompt()
    {
        foreach (var language in KioskLanguages.Codes)
        {
            foreach (var prompt in VoicePrompts.All)
            {
                Assert.False(string.IsNullOrWhiteSpace(KioskStrings.VoiceText(language, prompt)), $"{language}: voice.{prompt}");
            }
        }

        Assert.All(ScreenCatalog.All, s => Assert.True(VoicePrompts.IsKnown(s.Screen.VoicePrompt), s.Screen.VoicePrompt));
        Assert.Equal(VoicePrompts.All.Count, VoicePrompts.All.Distinct().Count());
    }

    [Fact]
    public void The_default_consent_items_are_the_national_ones_in_every_language()
    {
        var ids = ConsentCatalog.Defaults.Select(i => i.Id).ToArray();

        Assert.Equal(
            ["medical-and-medication", "health-checkups", "specific-diseases", "ehr-diagnoses", "ehr-infections",
             "ehr-drug-allergies", "ehr-other-allergies", "ehr-tests", "ehr-prescriptions"],
            ids);
        ConsentCatalog.Validate(ConsentCatalog.Defaults);
    }

    [Theory]
    [InlineData("""[{"id":"a","title":{"en":"x"},"description":{"en":"y"}}]""")]
    [InlineData("""[{"id":"a","title":{"ja":"x","fr":"x"},"description":{"ja":"y"}}]""")]
    [InlineData("""[{"id":"a","title":{"ja":"x","en":" "},"description":{"ja":"y"}}]""")]
    [InlineData("""[]""")]
    [InlineData("""[{"id":"Bad Id","title":{},"description":{}}]""")]
    public void A_facility_consent_list_without_Japanese_with_a_foreign_or_empty_text_or_a_bad_id_is_refused(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Throws<InvalidDataException>(() => ConsentCatalog.Load(stream));
    }

    [Fact]
    public void A_facility_item_in_Japanese_only_is_accepted_the_page_shows_it_in_Japanese_and_says_so()
    {
        using var stream = new MemoryStream("""[{"id":"a","title":{"ja":"x","en":"X"},"description":{"ja":"y"}}]"""u8.ToArray());
        var item = Assert.Single(ConsentCatalog.Load(stream));
        Assert.Equal(["en", "ja"], item.Title.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_default_item_has_every_page_language()
    {
        Assert.All(ConsentCatalog.Defaults, item =>
        {
            Assert.Equal(KioskLanguages.Codes.Order(StringComparer.Ordinal), item.Title.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(KioskLanguages.Codes.Order(StringComparer.Ordinal), item.Description.Keys.Order(StringComparer.Ordinal));
        });
    }

    [Theory]
    [InlineData("ja", "ja")]
    [InlineData("ja-JP", "ja")]
    [InlineData("EN-us", "en")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-hans-cn", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-SG", "zh-Hans")]
    [InlineData("zh-Hant", null)]
    [InlineData("zh-TW", null)]
    [InlineData("zh-HK", null)]
    [InlineData("ko-KR", "ko")]
    [InlineData("vi-VN", "vi")]
    [InlineData("fr", null)]
    [InlineData("", null)]
    [InlineData("zh-Hans-CN-x-private-!", null)]
    public void A_BCP_47_tag_resolves_to_the_page_language_it_asks_for(string tag, string? expected) =>
        Assert.Equal(expected, KioskLanguages.Resolve(tag));

    private static string[] Placeholders(string text) =>
        [.. Regex.Matches(text, "\\{[a-z]+\\}").Select(m => m.Value).Order(StringComparer.Ordinal)];
}
