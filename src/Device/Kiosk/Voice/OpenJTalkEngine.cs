using System.Globalization;

namespace Reader.Kiosk.Voice;

/// <summary>
/// Japanese through Open JTalk (Modified BSD, Debian's open-jtalk) with the NAIST-JDIC dictionary and the
/// HTS voice "Mei" (CC BY 3.0, MMDAgent Project Team, Nagoya Institute of Technology). 48 kHz mono 16-bit.
/// </summary>
internal sealed class OpenJTalkEngine(VoiceOptions options) : ISpeechEngine
{
    public bool Speaks(string language) => language == "ja";

    public async Task<byte[]> SynthesizeAsync(string language, string text, CancellationToken cancellationToken)
    {
        var voice = options.ResolveHtsVoicePath();
        if (!File.Exists(voice))
        {
            throw new VoiceException($"The Japanese voice {voice} is missing (./reader fetches it: ensure_area_kiosk).");
        }

        string[] arguments =
        [
            "-x", options.OpenJTalkDictionary,
            "-m", voice,
            "-r", options.JapaneseSpeed.ToString("0.###", CultureInfo.InvariantCulture),
            "-ow", "/dev/stdout",
        ];
        var wav = await SpeechProcess.RunAsync(options.OpenJTalkPath, arguments, text, options.SynthesisTimeout, cancellationToken);
        return WaveFile.Normalize(wav);
    }
}
