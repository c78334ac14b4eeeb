namespace Reader.Protocol.Transport;

/// <summary>Where the broker is and how to authenticate to it (TLS with a client certificate, PEM files).</summary>
public sealed record MqttBrokerOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 8883;

    /// <summary>CA that signed the broker's certificate. Null means plain TCP (only the pairing listener).</summary>
    public string? CaFile { get; init; }

    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bound on one attempt: TCP, TLS, CONNACK and re-subscribing. A process's first TLS connect also pays
    /// for loading and compiling the TLS and MQTT code (about 1 s on a busy 2-core machine, more on a
    /// loaded board), so this is generous; a dead broker is reported at once (nothing listening).
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public ReconnectPolicy Reconnect { get; init; } = new();

    public bool UsesTls => CaFile is not null;
}

/// <summary>Exponential back-off with jitter for reconnecting; owned by us, not hidden in the MQTT client.</summary>
public sealed record ReconnectPolicy
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaximumDelay { get; init; } = TimeSpan.FromSeconds(15);

    public double Multiplier { get; init; } = 2.0;

    /// <summary>Fraction of each delay that is randomised so many readers do not reconnect in step.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based) after a failure or a loss.</summary>
    public TimeSpan DelayFor(int attempt)
    {
        double ms = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(0, attempt - 1));
        ms = Math.Min(ms, MaximumDelay.TotalMilliseconds);
        double spread = ms * Jitter;
        ms += (Random.Shared.NextDouble() * 2 - 1) * spread;
        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }
}
