namespace Reader.Firmware.Bundles;

/// <summary>What goes into a bundle and who signs it.</summary>
public sealed record BundleRequest
{
    public required string Compatible { get; init; }

    public required string Version { get; init; }

    /// <summary>Monotonic: raise it for every release that fixes a vulnerability; devices refuse anything below their floor.</summary>
    public required int SecurityVersion { get; init; }

    /// <summary>Slot class → a file (copied as is) or a directory (packed as squashfs), e.g. appfs → the published service.</summary>
    public required IReadOnlyDictionary<string, string> Images { get; init; }

    public required string SigningCertificate { get; init; }

    /// <summary>PEM file or PKCS#11 URI.</summary>
    public required string SigningKey { get; init; }

    /// <summary>When set, RAUC checks the new bundle against it before finishing.</summary>
    public string? Keyring { get; init; }

    /// <summary><c>verity</c> (default, for devices) or <c>plain</c> (machines without device-mapper, e.g. CI).</summary>
    public string Format { get; init; } = "verity";

    public required string Output { get; init; }

    public string Product { get; init; } = "reader";
}
