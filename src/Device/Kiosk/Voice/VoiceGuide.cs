using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Strings;

namespace Reader.Kiosk.Voice;

/// <summary>
/// Spoken guidance: synthesises a prompt on first request and keeps the WAV in memory (prompt texts are
/// fixed and carry no personal data). One synthesis at a time, so speech never starves the card or camera.
/// </summary>
public sealed class VoiceGuide : IDisposable
{
    private readonly ISpeechEngine[] _engines;
    private readonly ConcurrentDictionary<(string Language, string Prompt), Lazy<Task<byte[]>>> _cache = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly ILogger _logger;

    public VoiceGuide(VoiceOptions? options = null, ILogger<VoiceGuide>? logger = null)
        : this([new OpenJTalkEngine(options ?? new VoiceOptions()), new EspeakNgEngine(options ?? new VoiceOptions())], logger)
    {
    }

    internal VoiceGuide(ISpeechEngine[] engines, ILogger<VoiceGuide>? logger = null)
    {
        _engines = engines;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The WAV of a prompt in a language; null when the language or prompt id is unknown.
    /// Throws <see cref="VoiceException"/> when the engine fails (the next request tries again).
    /// </summary>
    public async Task<byte[]?> GetAsync(string language, string promptId, CancellationToken cancellationToken)
    {
        if (!KioskLanguages.IsSupported(language) || !VoicePrompts.IsKnown(promptId))
        {
            return null;
        }

        var key = (language, promptId);
        var entry = _cache.GetOrAdd(key, k => new Lazy<Task<byte[]>>(() => SynthesizeAsync(k.Language, k.Prompt)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (VoiceException)
        {
            _cache.TryRemove(new KeyValuePair<(string, string), Lazy<Task<byte[]>>>(key, entry));
            throw;
        }
    }

    /// <summary>Synthesises every prompt of the given languages, one after another, ahead of the first patient.</summary>
    public async Task WarmUpAsync(IEnumerable<string> languages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(languages);
        foreach (var language in languages)
        {
            foreach (var prompt in VoicePrompts.All)
            {
                try
                {
                    await GetAsync(language, prompt, cancellationToken);
                }
                catch (VoiceException e)
                {
                    _logger.LogWarning("Voice warm-up stopped for {Language}: {Reason}", language, e.Message);
                    break;
                }
            }
        }
    }

    /// <summary>Bytes held by the cache (for the bench and health reports).</summary>
    public long CachedBytes => _cache.Values
        .Where(e => e.IsValueCreated && e.Value.IsCompletedSuccessfully)
        .Sum(e => (long)e.Value.Result.Length);

    public void Dispose() => _oneAtATime.Dispose();

    private async Task<byte[]> SynthesizeAsync(string language, string promptId)
    {
        var text = KioskStrings.VoiceText(language, promptId)
            ?? throw new VoiceException($"No voice text for {promptId} in {language}.");
        var engine = _engines.FirstOrDefault(e => e.Speaks(language))
            ?? throw new VoiceException($"No speech engine speaks {language}.");

        // Synthesis is not tied to one request's cancellation: the result is shared by every caller.
        await _oneAtATime.WaitAsync();
        try
        {
            byte[] wav;
            try
            {
                wav = await engine.SynthesizeAsync(language, text, CancellationToken.None);
            }
            catch (InvalidDataException e)
            {
                throw new VoiceException($"The engine for {language} returned a broken WAV: {e.Message}", e);
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug("Synthesised voice prompt {Prompt} in {Language} ({Bytes} bytes)", promptId, language, wav.Length);
            }

            return wav;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
