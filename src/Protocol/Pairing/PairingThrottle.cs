using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reader.Shared.Storage;

namespace Reader.Protocol.Pairing;

/// <summary>How fast wrong pairing codes may be tried, across codes, and when a person must act at the reader.</summary>
public sealed record PairingThrottleOptions
{
    /// <summary>The pause after the first wrong code; it doubles with every further wrong code (across codes).</summary>
    public TimeSpan FirstBackOff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two guesses.</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Wrong codes (over all codes shown) after which the reader stops offering pairing until someone at the reader
    /// asks for a new code (a touch on the kiosk's pairing screen, or the technician tool on the device).
    /// </summary>
    public int WrongCodesBeforePause { get; init; } = 10;

    /// <summary>What the reader had before the cap (1 s between guesses, a fresh code at once, never paused): only the bench's comparison uses it.</summary>
    public static PairingThrottleOptions WithoutCap { get; } = new()
    {
        FirstBackOff = TimeSpan.FromSeconds(1),
        MaxBackOff = TimeSpan.FromSeconds(1),
        WrongCodesBeforePause = int.MaxValue,
    };

    /// <summary>The pause owed after <paramref name="wrongCodes"/> wrong codes: FirstBackOff·2^(n−1), at most MaxBackOff.</summary>
    public TimeSpan BackOffAfter(int wrongCodes)
    {
        if (wrongCodes <= 0)
        {
            return TimeSpan.Zero;
        }

        double ticks = FirstBackOff.Ticks * Math.Pow(2, Math.Min(wrongCodes - 1, 62));
        return ticks >= MaxBackOff.Ticks ? MaxBackOff : TimeSpan.FromTicks((long)ticks);
    }

    internal void Validate()
    {
        if (FirstBackOff <= TimeSpan.Zero || MaxBackOff < FirstBackOff || WrongCodesBeforePause < 1)
        {
            throw new ArgumentException("the pairing throttle needs a positive first back-off, a maximum not below it and at least one wrong code before the pause");
        }
    }
}

/// <summary>
/// The reader's memory of wrong pairing codes, kept in its data folder (<c>identity/pairing-throttle.json</c>, 0600,
/// written durably) so that neither a new code nor a restart of the service gives an attacker a fresh allowance.
/// Only a successful pairing or a person at the reader (<see cref="Resume"/>) clears it. A state file that cannot be
/// read counts as paused: pairing fails closed.
/// </summary>
public sealed class PairingThrottle
{
    private const string FileName = "pairing-throttle.json";
    private readonly string _path;
    private readonly PairingThrottleOptions _options;
    private readonly TimeProvider _time;
    private State? _state;
    private bool _unreadable;

    public PairingThrottle(string dataDirectory, PairingThrottleOptions? options = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        _options = options ?? new PairingThrottleOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        string folder = Path.Combine(Path.GetFullPath(dataDirectory), "identity");
        SecureFile.EnsurePrivateDirectory(folder);
        _path = Path.Combine(folder, FileName);
        Load();
    }

    /// <summary>Wrong codes counted since the last pairing or the last time someone at the reader resumed pairing.</summary>
    public int WrongCodes => _state?.WrongCodes ?? 0;

    /// <summary>No more codes until a person at the reader resumes pairing (cap reached, or the state file is unreadable).</summary>
    public bool IsPaused => _unreadable || WrongCodes >= _options.WrongCodesBeforePause;

    /// <summary>How long until the next guess may be taken (zero when it may be now).</summary>
    public TimeSpan Wait()
    {
        if (_state is not { WrongCodes: > 0, LastWrongAt: var last })
        {
            return TimeSpan.Zero;
        }

        TimeSpan owed = _options.BackOffAfter(_state.WrongCodes);
        TimeSpan left = last + owed - _time.GetUtcNow();

        // A clock set back must not shorten the pause.
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left > owed ? owed : left;
    }

    /// <summary>Counts one wrong code, durably, before the refusal goes out.</summary>
    public void RecordWrongCode()
    {
        _state = new State(WrongCodes + 1, _time.GetUtcNow());
        SecureFile.WriteAllBytes(_path, JsonSerializer.SerializeToUtf8Bytes(_state, ThrottleJson.Default.State));
    }

    /// <summary>Paired: the count starts again.</summary>
    public void Clear() => Reset();

    /// <summary>A person at the reader asked for a new code (kiosk touch, technician tool): a fresh allowance.</summary>
    public void Resume() => Reset();

    private void Reset()
    {
        SecureFile.Delete(_path);
        _state = null;
        _unreadable = false;
    }

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        try
        {
            State? state = JsonSerializer.Deserialize(File.ReadAllBytes(_path), ThrottleJson.Default.State);
            if (state is { WrongCodes: >= 0 })
            {
                _state = state;
                return;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Falls through: unreadable.
        }

        _unreadable = true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{WrongCodes} wrong code(s), paused: {IsPaused}");

    internal sealed record State(int WrongCodes, DateTimeOffset LastWrongAt);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PairingThrottle.State))]
internal sealed partial class ThrottleJson : JsonSerializerContext;
