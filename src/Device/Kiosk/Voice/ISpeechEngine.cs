namespace Reader.Kiosk.Voice;

/// <summary>One text-to-speech engine for some languages. Returns a complete, well-formed WAV.</summary>
internal interface ISpeechEngine
{
    bool Speaks(string language);

    Task<byte[]> SynthesizeAsync(string language, string text, CancellationToken cancellationToken);
}
