namespace Reader.Device.Session;

/// <summary>
/// Work for the time between patients, when nobody waits. The finished session's garbage is collected then, so the next
/// patient's session starts with the whole allocation budget and no collection pauses it in the middle (a session
/// allocates a few megabytes: without this, most sessions paused once for a gen0 collection of about 2 ms, some for a
/// gen1 one of 4–9 ms, wherever they happened to fall: while the chip photo was enrolled, say).
/// </summary>
internal static class BetweenPatients
{
    public static void CollectGarbage() => GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
}
