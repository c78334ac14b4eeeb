namespace Reader.Card.Pcsc;

public sealed class CardMonitorOptions
{
    /// <summary>Longest single wait inside pcscd; a safety net besides SCardCancel and the PnP notification.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First and largest wait between attempts to reach pcscd after it went away.</summary>
    public TimeSpan RetryDelayMin { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events buffered for a slow consumer; the oldest are dropped past this.</summary>
    public int Capacity { get; set; } = 256;
}
