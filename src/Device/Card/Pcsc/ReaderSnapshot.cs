namespace Reader.Card.Pcsc;

/// <summary>What the monitor asks pcscd about one reader, and what pcscd answers.</summary>
internal struct ReaderStateQuery
{
    public string ReaderName;
    public uint CurrentState;
    public uint EventState;
    public byte[] Atr;
}
