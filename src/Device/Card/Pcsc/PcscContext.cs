namespace Reader.Card.Pcsc;

/// <summary>A PC/SC context: lists readers and connects to cards. One per thread of use; cheap to create.</summary>
public sealed class PcscContext : IDisposable
{
    private readonly IScardContext _context;

    private PcscContext(IScardContext context) => _context = context;

    /// <summary>Connects to pcscd. Throws <see cref="PcscException"/> with <see cref="PcscErrorKind.NoService"/> when it is not running.</summary>
    public static PcscContext Establish() => new(NativeSCardApi.Instance.EstablishContext());

    internal static PcscContext Establish(ISCardApi api) => new(api.EstablishContext());

    /// <summary>True when libpcsclite.so.1 loads on this machine; <paramref name="reason"/> says why not.</summary>
    public static bool IsLibraryAvailable(out string? reason) => NativeSCardApi.IsLibraryLoadable(out reason);

    public IReadOnlyList<string> ListReaders() => _context.ListReaders();

    /// <summary>
    /// Connects T=1 to the card in <paramref name="readerName"/>; exclusive by default so nobody else can use a verified
    /// PIN. The channel is valid only while this context is (see <see cref="PcscCardChannel.Open"/> for one that owns it).
    /// </summary>
    public PcscCardChannel Connect(string readerName, bool exclusive = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerName);
        return new PcscCardChannel(_context.Connect(readerName, exclusive), readerName);
    }

    /// <summary>Connects to the first reader that has a card (or to <paramref name="preferredReader"/> when given).</summary>
    public PcscCardChannel ConnectFirstCard(string? preferredReader = null, bool exclusive = true)
    {
        if (!string.IsNullOrEmpty(preferredReader))
        {
            return Connect(preferredReader, exclusive);
        }

        var readers = ListReaders();
        if (readers.Count == 0)
        {
            throw new PcscException(PcscErrorKind.NoReader, Interop.Pcsclite.PcscliteConstants.SCARD_E_NO_READERS_AVAILABLE, "SCardListReaders");
        }

        PcscException? last = null;
        foreach (var reader in readers)
        {
            try
            {
                return Connect(reader, exclusive);
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.NoCard or PcscErrorKind.UnresponsiveCard or PcscErrorKind.CardRemoved)
            {
                last = e;
            }
        }

        throw last!;
    }

    public void Dispose() => _context.Dispose();
}
