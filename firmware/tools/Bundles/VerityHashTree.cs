using System.Security.Cryptography;

namespace Reader.Firmware.Bundles;

/// <summary>
/// Recomputes the dm-verity hash tree (format 1, SHA-256, 4 KiB blocks, salt first) of a verity bundle's squashfs
/// and compares it with the tree stored in the bundle and the root hash in the signed manifest. <c>rauc info</c>
/// checks only the manifest's signature; the kernel checks the payload when mounting, which needs device-mapper.
/// This lets the updater refuse a damaged payload before anything is installed, without privileges.
/// </summary>
internal static class VerityHashTree
{
    private const int BlockSize = 4096;
    private const int DigestSize = 32;
    private const int DigestsPerBlock = BlockSize / DigestSize;

    /// <param name="bundle">The bundle file.</param>
    /// <param name="signedPayloadSize">Squashfs plus hash tree (see <see cref="BundleTrailer"/>).</param>
    /// <param name="treeSize">Verity Size from the signed manifest.</param>
    /// <param name="salt">Verity Salt from the signed manifest.</param>
    /// <param name="rootHash">Verity Hash from the signed manifest.</param>
    /// <returns>Null when everything matches, else what does not.</returns>
    public static async Task<string?> CheckAsync(string bundle, long signedPayloadSize, long treeSize, byte[] salt, byte[] rootHash, CancellationToken cancellationToken)
    {
        long dataSize = signedPayloadSize - treeSize;
        if (treeSize <= 0 || dataSize <= 0 || dataSize % BlockSize != 0 || treeSize % BlockSize != 0)
        {
            return "payload and hash tree sizes do not fit 4 KiB blocks";
        }

        await using var file = new FileStream(bundle, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        var levels = new List<byte[]>();
        byte[] level = await HashDataBlocksAsync(file, dataSize, salt, cancellationToken);
        levels.Add(level);
        while (level.Length > BlockSize)
        {
            level = HashLevel(level, salt);
            levels.Add(level);
        }

        byte[] root = HashBlock(salt, level);
        if (!CryptographicOperations.FixedTimeEquals(root, rootHash))
        {
            return "payload does not match the signed verity root hash";
        }

        // The stored tree is what the kernel will check against on the device: it must be the same, top level first.
        long expectedTreeSize = levels.Sum(l => (long)l.Length);
        if (expectedTreeSize != treeSize)
        {
            return "hash tree size differs from the signed manifest";
        }

        file.Position = dataSize;
        byte[] stored = new byte[BlockSize];
        for (int i = levels.Count - 1; i >= 0; i--)
        {
            for (int offset = 0; offset < levels[i].Length; offset += BlockSize)
            {
                await file.ReadExactlyAsync(stored, cancellationToken);
                if (!stored.AsSpan().SequenceEqual(levels[i].AsSpan(offset, BlockSize)))
                {
                    return "stored hash tree is damaged";
                }
            }
        }

        return null;
    }

    // Level 0: one digest per data block, packed into zero-padded 4 KiB blocks.
    private static async Task<byte[]> HashDataBlocksAsync(Stream data, long dataSize, byte[] salt, CancellationToken cancellationToken)
    {
        long blocks = dataSize / BlockSize;
        byte[] digests = new byte[PaddedLength(blocks)];
        byte[] buffer = new byte[BlockSize * 16];
        long done = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (done < blocks)
        {
            int count = (int)Math.Min(16, blocks - done);
            await data.ReadExactlyAsync(buffer.AsMemory(0, count * BlockSize), cancellationToken);
            for (int i = 0; i < count; i++)
            {
                sha.AppendData(salt);
                sha.AppendData(buffer, i * BlockSize, BlockSize);
                sha.GetHashAndReset(digests.AsSpan((int)((done + i) * DigestSize), DigestSize));
            }

            done += count;
        }

        return digests;
    }

    private static byte[] HashLevel(byte[] lower, byte[] salt)
    {
        long blocks = lower.Length / BlockSize;
        byte[] digests = new byte[PaddedLength(blocks)];
        for (int i = 0; i < blocks; i++)
        {
            HashBlock(salt, lower.AsSpan(i * BlockSize, BlockSize)).CopyTo(digests.AsSpan(i * DigestSize));
        }

        return digests;
    }

    private static byte[] HashBlock(byte[] salt, ReadOnlySpan<byte> block)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(salt);
        sha.AppendData(block);
        return sha.GetHashAndReset();
    }

    private static int PaddedLength(long digests) =>
        checked((int)((digests + DigestsPerBlock - 1) / DigestsPerBlock * BlockSize));
}
