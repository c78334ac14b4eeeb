namespace Reader.Reliability.Tests.Clinic;

/// <summary>What the terminal got, held against what the patients were told.</summary>
internal sealed record AuditOutcome(int Done, int Lost, int Duplicates, int UnmatchedResults, IReadOnlyList<Visit> LostVisits);

/// <summary>
/// The measure of "lost" and "duplicated": every visit that reached 「カードをお取りください」 (the reader said the result
/// is stored) must have its result handed to the clinic systems, found by the visit's card certificate and a
/// completion time inside the visit; every session id at most once. A result no visit claims (the reader was killed
/// after sending, before telling the patient) is counted apart: it is neither lost nor a duplicate.
/// </summary>
internal static class VisitAudit
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static AuditOutcome Check(IReadOnlyCollection<Visit> visits, ResultLedger ledger, IEnumerable<string>? durableSessionIds = null)
    {
        ArgumentNullException.ThrowIfNull(visits);
        ArgumentNullException.ThrowIfNull(ledger);
        var deliveries = ledger.All;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var lost = new List<Visit>();
        var done = visits.Where(v => v.Succeeded).ToList();
        foreach (var visit in done)
        {
            var mine = deliveries.Where(d => d.Certificate == visit.Certificate
                && d.CompletedAt >= visit.PlacedWall - Slack && d.CompletedAt <= visit.DoneWall + Slack).ToList();
            if (mine.Count == 0)
            {
                lost.Add(visit);
            }

            claimed.UnionWith(mine.Select(d => d.SessionId));
        }

        // A result made durable on the reader (seen in its outbox) must arrive too, whether or not a patient saw "done".
        // (A lost result of a visit that saw "done" counts in both: the figure can only overstate a loss.)
        var lostDurable = durableSessionIds?.Count(id => !ledger.Has(id)) ?? 0;
        var unmatched = deliveries.Select(d => d.SessionId).Distinct(StringComparer.Ordinal).Count(id => !claimed.Contains(id));
        return new AuditOutcome(done.Count, lost.Count + lostDurable, ledger.Duplicates, unmatched, lost);
    }
}
