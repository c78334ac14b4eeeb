namespace Reader.Kiosk.Voice;

/// <summary>Where the speech engines are and how they speak.</summary>
public sealed record VoiceOptions
{
    public string OpenJTalkPath { get; init; } = "open_jtalk";

    /// <summary>The NAIST-JDIC dictionary of Debian's open-jtalk-mecab-naist-jdic.</summary>
    public string OpenJTalkDictionary { get; init; } = "/var/lib/mecab/dic/open-jtalk/naist-jdic";

    /// <summary>
    /// The HTS voice "Mei" (mei_normal.htsvoice, CC BY 3.0). Null: <c>READER_KIOSK_HTSVOICE</c>, then
    /// <c>$READER_CACHE/voice/mei/</c>, then <c>/usr/share/reader/voice/mei/</c>.
    /// </summary>
    public string? HtsVoicePath { get; init; }

    /// <summary>Japanese speaking speed (Open JTalk -r); a little slower than 1.0 for older patients.</summary>
    public double JapaneseSpeed { get; init; } = 0.9;

    public string EspeakPath { get; init; } = "espeak-ng";

    /// <summary>espeak-ng words per minute (its default is 175); slower is clearer for listeners in a second language.</summary>
    public int EspeakWordsPerMinute { get; init; } = 145;

    /// <summary>A synthesis that takes longer than this is killed and reported as failed.</summary>
    public TimeSpan SynthesisTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Languages whose prompts are synthesised in the background when the host starts (the board has few cores).</summary>
    public IReadOnlyList<string> WarmUpLanguages { get; init; } = ["ja"];

    public string ResolveHtsVoicePath()
    {
        if (!string.IsNullOrEmpty(HtsVoicePath))
        {
            return HtsVoicePath;
        }

        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("READER_KIOSK_HTSVOICE") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        if (Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache)
        {
            candidates.Add(Path.Combine(cache, "voice", "mei", "mei_normal.htsvoice"));
        }

        candidates.Add("/usr/share/reader/voice/mei/mei_normal.htsvoice");
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }
}
