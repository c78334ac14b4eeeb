using Reader.Card.Pcsc;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;

namespace Reader.Card.Tests.Integration;

/// <summary>
/// Real pcscd + vsmartcard vpcd + the virtual card, shared by the "pcsc" collection (whose tests run one at a
/// time, so the pcscd restart test cannot disturb the others). As root a private pcscd runs on free ports in its
/// own mount namespace, its slot 0 reader answering PC/SC part 10 (extended APDUs) and slot 1 plain vpcd;
/// otherwise the machine's pcscd is used (started when absent) and restarts are not tested.
/// </summary>
public sealed class PcscFixture : IAsyncLifetime
{
    public PcscdInstance Pcscd { get; private set; } = null!;

    public VirtualReaders Readers { get; private set; } = null!;

    public bool IsPrivate { get; private set; }

    public static string ReaderName(int slot) => $"Virtual PCD 00 0{slot}";

    public async Task InitializeAsync()
    {
        if (PcscdInstance.CanRunPrivate(out _))
        {
            // Slot 0: a reader that says (part 10) it carries extended APDUs; slot 1: plain vpcd, which says nothing.
            Pcscd = await PcscdInstance.StartPrivateAsync(null, [PcscdInstance.ExtendedApduReader, null], CancellationToken.None);
            IsPrivate = true;
            Pcscd.UseInThisProcess();
        }
        else
        {
            Pcscd = await PcscdInstance.EnsureSystemAsync();
        }

        Readers = new VirtualReaders(Pcscd.VpcdBasePort, slots: 2);
    }

    public async Task DisposeAsync()
    {
        await Readers.DisposeAsync();
        await Pcscd.DisposeAsync();
    }

    /// <summary>Inserts a card and waits until pcscd reports it present in that reader.</summary>
    public async Task<VirtualMyNumberCard> InsertAsync(int slot, VirtualMyNumberCard card, SlotBehaviour? behaviour = null)
    {
        await Readers.InsertAsync(slot, card, behaviour);
        Assert.True(await Readers.WaitConnectedAsync(slot, TimeSpan.FromSeconds(10)), "vpcd did not connect to the virtual card");
        await WaitPresentAsync(slot, present: true);
        return card;
    }

    public async Task RemoveAsync(int slot)
    {
        await Readers.RemoveAsync(slot);
        await WaitPresentAsync(slot, present: false);
    }

    public static async Task WaitPresentAsync(int slot, bool present, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var context = PcscContext.Establish();
                using var channel = context.Connect(ReaderName(slot), exclusive: false);
                channel.UnpowerOnDispose = false;
                if (present)
                {
                    return;
                }
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.SharingViolation)
            {
                // Still held by someone: keep polling.
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.NoCard or PcscErrorKind.NoReader or PcscErrorKind.UnresponsiveCard or PcscErrorKind.CardRemoved or PcscErrorKind.NoService)
            {
                if (!present)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"card in slot {slot} did not become {(present ? "present" : "absent")}");
    }

    /// <summary>Connects to the card in a slot (exclusive, unpowered on dispose).</summary>
    public static PcscCardChannel Connect(int slot) => PcscCardChannel.Open(ReaderName(slot));
}

[CollectionDefinition("pcsc")]
public sealed class PcscGroup : ICollectionFixture<PcscFixture>
{
}
