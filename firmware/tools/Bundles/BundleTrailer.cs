using System.Buffers.Binary;

namespace Reader.Firmware.Bundles;

/// <summary>
/// The framing of a RAUC bundle file: <c>[squashfs payload][dm-verity hash tree, verity format only][CMS signature][u64 BE signature size]</c>.
/// Checked before anything else so that a truncated download gets a clear "corrupt" instead of a confusing signature error.
/// </summary>
internal readonly record struct BundleTrailer(long FileSize, long SignatureSize)
{
    private static ReadOnlySpan<byte> SquashfsMagic => "hsqs"u8;

    /// <summary>Bytes before the signature: squashfs plus, for verity bundles, the hash tree.</summary>
    public long SignedPayloadSize => FileSize - SignatureSize - sizeof(ulong);

    /// <summary>Reads the trailer; null with a reason when the file cannot be a bundle.</summary>
    public static BundleTrailer? TryRead(string path, out string problem)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long size = RandomAccess.GetLength(file);
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        if (size < 4096 + sizeof(ulong))
        {
            problem = $"file is {size} bytes, too small for a bundle";
            return null;
        }

        RandomAccess.Read(file, head, 0);
        RandomAccess.Read(file, tail, size - sizeof(ulong));
        if (!head.SequenceEqual(SquashfsMagic))
        {
            problem = "no squashfs payload at the start of the file";
            return null;
        }

        ulong signatureSize = BinaryPrimitives.ReadUInt64BigEndian(tail);
        if (signatureSize == 0 || signatureSize > (ulong)(size - 4096 - sizeof(ulong)))
        {
            problem = "signature size in the trailer does not fit the file (truncated?)";
            return null;
        }

        problem = string.Empty;
        return new BundleTrailer(size, (long)signatureSize);
    }
}
