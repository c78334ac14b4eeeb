using System.Collections.Concurrent;
using Reader.Card.Pcsc;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Tests.Unit;

/// <summary>A strict fake at the PC/SC seam: readers and cards toggled by the test, pcscd up or down.</summary>
internal sealed class FakeScardApi : ISCardApi
{
    public ConcurrentDictionary<string, bool> Readers { get; } = new();

    public volatile bool ServiceUp = true;

    public IScardContext EstablishContext() => ServiceUp
        ? new Context(this)
        : throw new PcscException(PcscErrorKind.NoService, SCARD_E_NO_SERVICE, "SCardEstablishContext");

    private sealed class Context(FakeScardApi api) : IScardContext
    {
        private readonly ManualResetEventSlim _cancel = new();

        public bool IsValid() => api.ServiceUp;

        public IReadOnlyList<string> ListReaders() => api.ServiceUp
            ? [.. api.Readers.Keys.Order(StringComparer.Ordinal)]
            : throw new PcscException(PcscErrorKind.NoService, SCARD_E_NO_SERVICE, "SCardListReaders");

        public bool GetStatusChange(TimeSpan timeout, ReaderStateQuery[] readers)
        {
            var until = DateTime.UtcNow + TimeSpan.FromMilliseconds(Math.Min(timeout.TotalMilliseconds, 2000));
            while (DateTime.UtcNow < until)
            {
                if (_cancel.IsSet)
                {
                    throw new PcscException(PcscErrorKind.Cancelled, SCARD_E_CANCELLED, "SCardGetStatusChange");
                }

                if (!api.ServiceUp)
                {
                    throw new PcscException(PcscErrorKind.NoService, SCARD_E_SERVICE_STOPPED, "SCardGetStatusChange");
                }

                var changed = false;
                for (var i = 0; i < readers.Length; i++)
                {
                    uint state;
                    if (readers[i].ReaderName == PnPNotification)
                    {
                        state = (uint)api.Readers.Count << 16;
                    }
                    else
                    {
                        state = api.Readers.TryGetValue(readers[i].ReaderName, out var card) ? (card ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY) : SCARD_STATE_UNKNOWN;
                    }

                    readers[i].Atr = [];
                    if ((readers[i].CurrentState & ~SCARD_STATE_CHANGED) != state)
                    {
                        readers[i].EventState = state | SCARD_STATE_CHANGED;
                        changed = true;
                    }
                    else
                    {
                        readers[i].EventState = state;
                    }
                }

                if (changed)
                {
                    return true;
                }

                Thread.Sleep(10);
            }

            return false;
        }

        public void Cancel() => _cancel.Set();

        public IScardConnection Connect(string reader, bool exclusive) => throw new NotSupportedException();

        public void Dispose() => _cancel.Dispose();
    }
}
