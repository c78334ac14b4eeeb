using System.Net;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Tests.Support;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Tests;

/// <summary>Every prompt in every language through the real engines (Open JTalk + Mei, espeak-ng) and the real endpoint.</summary>
public class VoiceTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    public static TheoryData<string> Languages() => [.. KioskLanguages.Codes];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_prompt_is_a_valid_wav_of_speech(string language)
    {
        if (language == KioskLanguages.Japanese)
        {
            TestEnvironment.Require(TestEnvironment.HtsVoice, "The HTS voice Mei");
        }

        foreach (var prompt in VoicePrompts.All)
        {
            using var response = await fixture.Client.GetAsync(new Uri($"/api/voice/{language}/{prompt}.wav", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{language}/{prompt}: {(int)response.StatusCode}");
            Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
            var wav = await response.Content.ReadAsByteArrayAsync();

            var format = WaveFile.Read(wav);
            Assert.Equal(1, format.Channels);
            Assert.InRange(format.Duration, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(20));
            Assert.True(Loudness(wav) > 300, $"{language}/{prompt} is silent");
        }
    }

    [Fact]
    public async Task A_prompt_is_synthesised_once_and_then_served_from_memory()
    {
        var first = await fixture.Host.Voice.GetAsync("en", VoicePrompts.Done, CancellationToken.None);
        var second = await fixture.Host.Voice.GetAsync("en", VoicePrompts.Done, CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_missing_engine_is_a_clear_error_and_the_next_request_tries_again()
    {
        using var voice = new VoiceGuide(new VoiceOptions { EspeakPath = "/nonexistent/espeak-ng", WarmUpLanguages = [] });

        var e = await Assert.ThrowsAsync<VoiceException>(() => voice.GetAsync("ko", VoicePrompts.Idle, CancellationToken.None));
        Assert.Contains("espeak-ng", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VoiceException>(() => voice.GetAsync("ko", VoicePrompts.Idle, CancellationToken.None));
    }

    private static double Loudness(byte[] wav)
    {
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(wav.AsSpan(WaveFile.HeaderLength));
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }
}
