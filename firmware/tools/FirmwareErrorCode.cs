namespace Reader.Firmware;

/// <summary>
/// Why an update step was refused or failed. The names are the wire codes for the terminal (stable);
/// in every case the running slot is untouched.
/// </summary>
public enum FirmwareErrorCode
{
    /// <summary>Success.</summary>
    None,

    /// <summary>No file at the given path.</summary>
    BundleNotFound,

    /// <summary>Truncated, damaged or not a bundle: the payload does not match what was signed, or no release manifest.</summary>
    CorruptBundle,

    /// <summary>Not signed by a certificate chaining to the device's keyring (or the signature is expired or invalid).</summary>
    BadSignature,

    /// <summary>Signed, but for another product or board (compatible string differs).</summary>
    WrongCompatible,

    /// <summary>Signed and compatible, but its security version is below the device's floor (anti-rollback).</summary>
    RollbackRefused,

    /// <summary>RAUC refused or failed while writing the inactive slot.</summary>
    InstallFailed,

    /// <summary>The rauc tool or its service cannot be reached.</summary>
    RaucUnavailable,

    /// <summary>mark-good or status failed.</summary>
    StatusFailed,

    /// <summary>
    /// The device's anti-rollback floor cannot be trusted (missing, not a number, not root's, writable by others):
    /// nothing is installed until a technician restores it.
    /// </summary>
    FloorUnreadable,
}
