using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Card.Tests.Support;
using Reader.Card.Tests.Unit;
using Reader.HardwareSim.Vpcd;
using Xunit.Abstractions;

namespace Reader.Card.Tests.Integration;

/// <summary>The card monitor against the real pcscd: insertions, a card pulled out mid-read, two readers, a pcscd restart.</summary>
[Collection("pcsc")]
public sealed class MonitorTests(PcscFixture fixture, ITestOutputHelper output)
{
    private static readonly CardMonitorOptions Options = new() { PollTimeout = TimeSpan.FromSeconds(2), RetryDelayMin = TimeSpan.FromMilliseconds(100), RetryDelayMax = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task Sees_both_readers_and_their_cards()
    {
        await fixture.Readers.RemoveAsync(0);
        await fixture.Readers.RemoveAsync(1);
        await using var monitor = new CardMonitor(Options);
        monitor.Start();
        await CardMonitorTests.Expect(monitor, CardEventKind.ReaderAdded, PcscFixture.ReaderName(0));
        await CardMonitorTests.Expect(monitor, CardEventKind.ReaderAdded, PcscFixture.ReaderName(1));
        await fixture.Readers.InsertAsync(1, SimCards.SharedCard());
        var inserted = await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(1));
        Assert.False(inserted.Atr.IsEmpty);
        await fixture.Readers.InsertAsync(0, SimCards.SharedCard());
        await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(0));
        await fixture.Readers.RemoveAsync(1);
        var removed = await CardMonitorTests.Expect(monitor, CardEventKind.CardRemoved, PcscFixture.ReaderName(1));
        Assert.Equal(inserted.Id, removed.InsertionId);
    }

    [Fact]
    public async Task A_card_pulled_out_mid_read_gives_a_clean_error_and_the_monitor_carries_on()
    {
        await fixture.RemoveAsync(0);
        await using var monitor = new CardMonitor(Options);
        monitor.Start();
        var card = SimCards.New();
        // Slot 0 reads each EF whole: the third APDU is the READ BINARY of EF 000A.
        await fixture.InsertAsync(0, card, new SlotBehaviour { PullAtApdu = 3 });
        await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(0));
        using (var channel = PcscFixture.Connect(0))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).ReadAuthCertificateAsync());
            Assert.Contains(ex.Code, new[] { CardErrorCode.CardRemoved, CardErrorCode.Unreadable });
            output.WriteLine($"pulled mid-read: {ex.Code} ({ex.Message})");
        }

        await CardMonitorTests.Expect(monitor, CardEventKind.CardRemoved, PcscFixture.ReaderName(0));
        await fixture.InsertAsync(0, card);
        await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(0));
        using var again = PcscFixture.Connect(0);
        Assert.Equal(card.Identity.AuthCertificate, (await new MyNumberCardClient(again).ReadAuthCertificateAsync(false)).Certificate.Der);
    }

    [Fact]
    public async Task The_simulated_reader_tells_pcscd_of_card_events_itself_as_a_ccid_reader_does()
    {
        if (!fixture.IsPrivate || fixture.Pcscd.PartTenReason is not null)
        {
            output.WriteLine($"not run: no private pcscd with our vpcd driver ({fixture.Pcscd.PartTenReason ?? "machine's pcscd"})");
            return;
        }

        // Not a timing assertion (this machine may be loaded): pcscd says which thread watches for card events, and
        // the events still arrive through it.
        await fixture.RemoveAsync(1);
        await using var monitor = new CardMonitor(Options);
        monitor.Start();
        await fixture.Readers.InsertAsync(1, SimCards.SharedCard());
        var inserted = await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(1));
        await fixture.Readers.RemoveAsync(1);
        Assert.Equal(inserted.Id, (await CardMonitorTests.Expect(monitor, CardEventKind.CardRemoved, PcscFixture.ReaderName(1))).InsertionId);
        var log = await File.ReadAllTextAsync(fixture.Pcscd.LogPath!);
        Assert.Contains("Using the reader polling thread", log, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("READER_PCSCD_DEBUG_LOG") is not { Length: > 0 })
        {
            // A kept debug log gathers every pcscd of every run (some without the shim): only a private log says "never".
            Assert.DoesNotContain("Using the pcscd polling thread", log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Recovers_by_itself_when_pcscd_restarts()
    {
        if (!fixture.IsPrivate)
        {
            output.WriteLine("not run: pcscd is the machine's own (no root for a private one), and this test must not restart it");
            return;
        }

        var card = await fixture.InsertAsync(0, SimCards.New());
        await using var monitor = new CardMonitor(Options);
        monitor.Start();
        await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(0));
        await fixture.Pcscd.RestartAsync(TimeSpan.FromMilliseconds(500));
        await CardMonitorTests.Expect(monitor, CardEventKind.ServiceLost, null, 20);
        await CardMonitorTests.Expect(monitor, CardEventKind.ServiceRestored, null, 20);
        await CardMonitorTests.Expect(monitor, CardEventKind.CardInserted, PcscFixture.ReaderName(0), 20);
        using var channel = PcscFixture.Connect(0);
        Assert.Equal(card.Identity.AuthCertificate, (await new MyNumberCardClient(channel).ReadAuthCertificateAsync(false)).Certificate.Der);
    }

    /// <summary>
    /// The session establishes each connection's context ahead of the card (src/Device PcscCardAccess): one made before a
    /// pcscd restart must fail in a way that says the context may be stale (so a fresh one is tried), not as a card failure.
    /// </summary>
    [Fact]
    public async Task A_context_established_before_a_pcscd_restart_fails_as_stale_and_a_fresh_one_connects()
    {
        if (!fixture.IsPrivate)
        {
            output.WriteLine("not run: pcscd is the machine's own (no root for a private one), and this test must not restart it");
            return;
        }

        var card = await fixture.InsertAsync(0, SimCards.New());
        var spare = PcscContext.Establish();
        await fixture.Pcscd.RestartAsync(TimeSpan.FromMilliseconds(500));
        await PcscFixture.WaitPresentAsync(0, present: true, seconds: 30);
        var stale = Assert.Throws<PcscException>(() => PcscCardChannel.Open(spare, PcscFixture.ReaderName(0)).Dispose());
        output.WriteLine($"stale context: {stale.Kind} ({stale.Message})");
        Assert.True(stale.ContextMayBeStale);
        using var channel = PcscFixture.Connect(0);
        Assert.Equal(card.Identity.AuthCertificate, (await new MyNumberCardClient(channel).ReadAuthCertificateAsync(false)).Certificate.Der);
    }
}
