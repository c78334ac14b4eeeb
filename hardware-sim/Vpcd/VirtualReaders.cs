using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.HardwareSim.Card;

namespace Reader.HardwareSim.Vpcd;

/// <summary>What one slot holds, for listings (no personal data).</summary>
public sealed record SlotInfo(int Slot, int Port, string? CardId, string? Variant, bool Connected, bool Pulled, int? PinTriesLeft, long ApdusThisCycle, long TotalApdus, long PowerCycles, long ForbiddenAttempts,
    int? Kbit = null);

/// <summary>
/// The vpcd slots (two by default: ports 35963 and 35964) and the cards known to the simulator. A card keeps
/// its identity (and PIN retry counters) across removal and reinsertion. Usable in-process from tests.
/// </summary>
public sealed class VirtualReaders : IAsyncDisposable
{
    public const int DefaultPort = 35963;

    private readonly Dictionary<string, VirtualMyNumberCard> _cards = new(StringComparer.Ordinal);
    private readonly VpcdCardLink?[] _slots;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ILogger _logger;
    private long _insertions;

    public VirtualReaders(int basePort = DefaultPort, int slots = 2, string host = "127.0.0.1", TestAuthorities? authorities = null, ILogger? logger = null)
    {
        BasePort = basePort;
        Host = host;
        Authorities = authorities ?? TestAuthorities.Shared;
        _slots = new VpcdCardLink?[slots];
        _logger = logger ?? NullLogger.Instance;
    }

    public int BasePort { get; }

    public string Host { get; }

    public int SlotCount => _slots.Length;

    public TestAuthorities Authorities { get; }

    /// <summary>Returns the card with <paramref name="cardId"/>, making it from <paramref name="spec"/> the first time.</summary>
    public VirtualMyNumberCard GetOrCreateCard(string cardId, VirtualCardSpec? spec = null)
    {
        lock (_cards)
        {
            if (!_cards.TryGetValue(cardId, out var card))
            {
                card = new VirtualMyNumberCard(new VirtualCardIdentity(cardId, spec ?? new VirtualCardSpec(), Authorities));
                _cards[cardId] = card;
            }

            return card;
        }
    }

    public VirtualMyNumberCard? FindCard(string cardId)
    {
        lock (_cards)
        {
            return _cards.GetValueOrDefault(cardId);
        }
    }

    public VirtualMyNumberCard? CardIn(int slot) => _slots[CheckSlot(slot)]?.Card;

    /// <summary>The radio link of the card in <paramref name="slot"/> (null when the slot does not pace its card).</summary>
    public Reader.Card.Link.ContactlessLink? LinkIn(int slot) => _slots[CheckSlot(slot)]?.Link;

    /// <summary>The timed exchanges of the current power cycle of the card in <paramref name="slot"/> (empty when none).</summary>
    public IReadOnlyList<CardExchangeTiming> ExchangesIn(int slot) => _slots[CheckSlot(slot)]?.Exchanges ?? [];

    /// <summary>The card in the slot and the number of its insertion (a new number each time a card is put in).</summary>
    public (VirtualMyNumberCard Card, long Insertion)? PlacementIn(int slot) =>
        _slots[CheckSlot(slot)] is { } link ? (link.Card, link.Insertion) : null;

    /// <summary>
    /// Called with the slot, the card and its insertion number just before the card goes in (before vpcd and so pcscd
    /// see it): what films the tray draws the card there, as a real camera sees it the moment it lies there.
    /// </summary>
    public event Action<int, VirtualMyNumberCard, long>? Placing;

    /// <summary>Inserts the card into the slot (removing whatever was there).</summary>
    public async Task InsertAsync(int slot, VirtualMyNumberCard card, SlotBehaviour? behaviour = null)
    {
        CheckSlot(slot);
        await _lock.WaitAsync();
        try
        {
            if (_slots[slot] is { } old)
            {
                _slots[slot] = null;
                await old.DisposeAsync();
            }

            var insertion = Interlocked.Increment(ref _insertions);
            try
            {
                Placing?.Invoke(slot, card, insertion);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A camera that cannot draw the card yet draws it at its first frame; the card goes in regardless.
                _logger.LogWarning(e, "drawing the tray for the card in slot {Slot} failed", slot);
            }
            _slots[slot] = new VpcdCardLink(Host, BasePort + slot, card, behaviour, _logger) { Insertion = insertion };
            _logger.LogInformation("card {Card} inserted into slot {Slot}", card.Identity.Id, slot);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RemoveAsync(int slot)
    {
        CheckSlot(slot);
        await _lock.WaitAsync();
        try
        {
            if (_slots[slot] is { } link)
            {
                _slots[slot] = null;
                await link.DisposeAsync();
                _logger.LogInformation("card {Card} removed from slot {Slot}", link.Card.Identity.Id, slot);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Waits until vpcd has connected to the card in <paramref name="slot"/>.</summary>
    public async Task<bool> WaitConnectedAsync(int slot, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_slots[CheckSlot(slot)]?.Connected == true)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public IReadOnlyList<SlotInfo> List() =>
    [
        .. _slots.Select((link, i) => link is null
            ? new SlotInfo(i, BasePort + i, null, null, false, false, null, 0, 0, 0, 0)
            : new SlotInfo(i, BasePort + i, link.Card.Identity.Id, link.Card.Identity.Spec.Variant.ToString(), link.Connected, link.Pulled,
                link.Card.Identity.AuthPinTriesLeft, link.Card.Counters.CurrentCycle.Count, link.Card.Counters.TotalApdus, link.Card.Counters.PowerCycles,
                link.Card.Counters.ForbiddenAttempts, link.Link?.Kbit)),
    ];

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            await RemoveAsync(i);
        }

        lock (_cards)
        {
            foreach (var card in _cards.Values)
            {
                card.Identity.Dispose();
            }

            _cards.Clear();
        }

        _lock.Dispose();
    }

    private int CheckSlot(int slot) => slot >= 0 && slot < _slots.Length ? slot : throw new ArgumentOutOfRangeException(nameof(slot), $"slot must be 0..{_slots.Length - 1}");
}
