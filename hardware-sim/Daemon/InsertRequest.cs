namespace Reader.HardwareSim.Daemon;

/// <summary>
/// POST /card/slots/{slot}/insert body. Cards keep their identity (and PIN counters) by id; <see cref="CardFace"/>,
/// <see cref="Link"/> and <see cref="ExtendedReads"/> shape a new card; <see cref="SlowKbit"/> is the slot reader's
/// highest bit rate (null: no radio pacing).
/// </summary>
public sealed record InsertRequest(string? CardId = null, string? Variant = null, string? Pin = null, int? SlowKbit = null, int? PullAtApdu = null, string? Portrait = null,
    string? CardFace = null, string? Link = null, string? ExtendedReads = null);
