using System.Runtime.InteropServices;
using System.Text;
using Reader.Card.Interop.Pcsclite;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Pcsc;

/// <summary>The real <see cref="ISCardApi"/>: libpcsclite.so.1.</summary>
internal sealed class NativeSCardApi : ISCardApi
{
    public static NativeSCardApi Instance { get; } = new();

    public IScardContext EstablishContext()
    {
        CLong rc;
        SafeScardContextHandle handle;
        try
        {
            rc = Pcsclite.SCardEstablishContext(new CULong(SCARD_SCOPE_SYSTEM), 0, 0, out handle);
        }
        catch (DllNotFoundException e)
        {
            throw new PcscException("libpcsclite.so.1 cannot be loaded (install libpcsclite1)", e);
        }

        if (rc.Value != 0)
        {
            handle.SetHandleAsInvalid();
            handle.Dispose();
            PcscException.ThrowIfFailed(rc, "SCardEstablishContext");
        }

        return new NativeContext(handle);
    }

    /// <summary>True when libpcsclite.so.1 can be loaded on this machine.</summary>
    public static bool IsLibraryLoadable(out string? reason)
    {
        if (NativeLibrary.TryLoad(Pcsclite.Library, out var lib))
        {
            NativeLibrary.Free(lib);
            reason = null;
            return true;
        }

        reason = "libpcsclite.so.1 not found (install the libpcsclite1 package)";
        return false;
    }

    private sealed unsafe class NativeContext(SafeScardContextHandle handle) : IScardContext
    {
        public bool IsValid() => !handle.IsClosed && Pcsclite.SCardIsValidContext(handle).Value == 0;

        public IReadOnlyList<string> ListReaders()
        {
            for (var attempt = 0; ; attempt++)
            {
                CULong length = default;
                var rc = Pcsclite.SCardListReaders(handle, null, null, &length);
                if (unchecked((uint)rc.Value) == SCARD_E_NO_READERS_AVAILABLE)
                {
                    return [];
                }

                PcscException.ThrowIfFailed(rc, "SCardListReaders");
                var buffer = new byte[(int)length.Value];
                fixed (byte* p = buffer)
                {
                    rc = Pcsclite.SCardListReaders(handle, null, p, &length);
                }

                var code = unchecked((uint)rc.Value);
                if (code == SCARD_E_NO_READERS_AVAILABLE)
                {
                    return [];
                }

                // A reader plugged in between the two calls makes the buffer too small: ask again.
                if (code == SCARD_E_INSUFFICIENT_BUFFER && attempt < 3)
                {
                    continue;
                }

                PcscException.ThrowIfFailed(rc, "SCardListReaders");
                return ParseMultiString(buffer.AsSpan(0, (int)length.Value));
            }
        }

        public bool GetStatusChange(TimeSpan timeout, ReaderStateQuery[] readers)
        {
            var states = new SCARD_READERSTATE[readers.Length];
            var names = new nint[readers.Length];
            try
            {
                for (var i = 0; i < readers.Length; i++)
                {
                    names[i] = Marshal.StringToCoTaskMemUTF8(readers[i].ReaderName);
                    states[i].szReader = names[i];
                    states[i].dwCurrentState = new CULong(readers[i].CurrentState);
                }

                var ms = timeout == Timeout.InfiniteTimeSpan ? INFINITE : (uint)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
                CLong rc;
                fixed (SCARD_READERSTATE* p = states)
                {
                    rc = Pcsclite.SCardGetStatusChange(handle, new CULong(ms), p, new CULong((uint)states.Length));
                }

                if (unchecked((uint)rc.Value) == SCARD_E_TIMEOUT)
                {
                    return false;
                }

                PcscException.ThrowIfFailed(rc, "SCardGetStatusChange");
                for (var i = 0; i < readers.Length; i++)
                {
                    readers[i].EventState = (uint)states[i].dwEventState.Value;
                    var atrLength = (int)Math.Min(states[i].cbAtr.Value, MAX_ATR_SIZE);
                    var atr = new byte[atrLength];
                    for (var b = 0; b < atrLength; b++)
                    {
                        atr[b] = states[i].rgbAtr[b];
                    }

                    readers[i].Atr = atr;
                }

                return true;
            }
            finally
            {
                foreach (var name in names)
                {
                    Marshal.FreeCoTaskMem(name);
                }
            }
        }

        public void Cancel()
        {
            if (!handle.IsClosed)
            {
                _ = Pcsclite.SCardCancel(handle);
            }
        }

        public IScardConnection Connect(string reader, bool exclusive)
        {
            var name = Encoding.UTF8.GetBytes(reader + "\0");
            CULong protocol = default;
            nint card;
            CLong rc;
            fixed (byte* p = name)
            {
                rc = Pcsclite.SCardConnect(handle, p, new CULong(exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED),
                    new CULong(SCARD_PROTOCOL_T1), out card, &protocol);
            }

            PcscException.ThrowIfFailed(rc, "SCardConnect");

            // The ATR is asked for only when wanted (SCardStatus is two more round trips to pcscd before the first APDU,
            // and cards are identified by SELECT, never by ATR).
            return new NativeConnection(new SafeScardHandle(card), exclusive);
        }

        public void Dispose() => handle.Dispose();

        private static string[] ParseMultiString(ReadOnlySpan<byte> buffer)
        {
            var result = new List<string>();
            while (!buffer.IsEmpty)
            {
                var end = buffer.IndexOf((byte)0);
                if (end <= 0)
                {
                    break;
                }

                result.Add(Encoding.UTF8.GetString(buffer[..end]));
                buffer = buffer[(end + 1)..];
            }

            return [.. result];
        }
    }

    private sealed unsafe class NativeConnection(SafeScardHandle card, bool exclusive) : IScardConnection
    {
        private byte[]? _atr;

        public byte[] Atr => _atr ??= ReadAtr(card);

        private static byte[] ReadAtr(SafeScardHandle card)
        {
            var atr = stackalloc byte[MAX_ATR_SIZE];
            CULong atrLength = new(MAX_ATR_SIZE);
            CULong state = default;
            CULong protocol = default;
            CULong nameLength = default;
            var rc = Pcsclite.SCardStatus(card, null, &nameLength, &state, &protocol, atr, &atrLength);
            PcscException.ThrowIfFailed(rc, "SCardStatus");
            return new ReadOnlySpan<byte>(atr, (int)Math.Min(atrLength.Value, MAX_ATR_SIZE)).ToArray();
        }

        public bool UnpowerOnDispose
        {
            get => card.Disposition == SCARD_UNPOWER_CARD;
            set => card.Disposition = value ? SCARD_UNPOWER_CARD : SCARD_LEAVE_CARD;
        }

        public int Transmit(ReadOnlySpan<byte> command, Span<byte> response)
        {
            var pci = new SCARD_IO_REQUEST { dwProtocol = new CULong(SCARD_PROTOCOL_T1), cbPciLength = new CULong((uint)sizeof(SCARD_IO_REQUEST)) };
            CULong length = new((uint)response.Length);
            CLong rc;
            fixed (byte* send = command)
            fixed (byte* receive = response)
            {
                rc = Pcsclite.SCardTransmit(card, &pci, send, new CULong((uint)command.Length), null, receive, &length);
            }

            PcscException.ThrowIfFailed(rc, "SCardTransmit");
            return (int)length.Value;
        }

        public int Control(uint controlCode, ReadOnlySpan<byte> input, Span<byte> output)
        {
            CULong returned = default;
            CLong rc;
            fixed (byte* send = input)
            fixed (byte* receive = output)
            {
                rc = Pcsclite.SCardControl(card, new CULong(controlCode), send, new CULong((uint)input.Length), receive, new CULong((uint)output.Length), &returned);
            }

            PcscException.ThrowIfFailed(rc, "SCardControl");
            return (int)Math.Min(returned.Value, (uint)output.Length);
        }

        public void ReconnectUnpower()
        {
            CULong protocol = default;
            var rc = Pcsclite.SCardReconnect(card, new CULong(exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED),
                new CULong(SCARD_PROTOCOL_T1), new CULong(SCARD_UNPOWER_CARD), &protocol);
            PcscException.ThrowIfFailed(rc, "SCardReconnect");
        }

        public void Dispose() => card.Dispose();
    }
}
