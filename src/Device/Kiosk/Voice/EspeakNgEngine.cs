using System.Globalization;

namespace Reader.Kiosk.Voice;

/// <summary>
/// English, Chinese, Korean and Vietnamese through espeak-ng (GPL-3.0, Debian's espeak-ng, run as a
/// separate program). Chinese uses the <c>cmn-latn-pinyin</c> voice: Debian's plain <c>cmn</c> reads
/// the pinyin of each character with English letter names. 22.05 kHz mono 16-bit.
/// </summary>
internal sealed class EspeakNgEngine(VoiceOptions options) : ISpeechEngine
{
    private static readonly Dictionary<string, string> Voices = new(StringComparer.Ordinal)
    {
        ["en"] = "en-us",
        ["zh-Hans"] = "cmn-latn-pinyin",
        ["ko"] = "ko",
        ["vi"] = "vi",
    };

    public bool Speaks(string language) => Voices.ContainsKey(language);

    public async Task<byte[]> SynthesizeAsync(string language, string text, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-v", Voices[language],
            "-s", options.EspeakWordsPerMinute.ToString(CultureInfo.InvariantCulture),
            "--stdin",
            "--stdout",
        ];
        var wav = await SpeechProcess.RunAsync(options.EspeakPath, arguments, text, options.SynthesisTimeout, cancellationToken);
        return WaveFile.Normalize(wav);
    }
}
