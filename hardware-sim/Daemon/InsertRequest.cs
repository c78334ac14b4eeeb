namespace Reader.HardwareSim.Daemon;

/// <summary>POST /card/slots/{slot}/insert body. Cards keep their identity (and PIN counters) by id.</summary>
public sealed record InsertRequest(string? CardId = null, string? Variant = null, string? Pin = null, int? SlowKbit = null, int? PullAtApdu = null, string? Portrait = null);
