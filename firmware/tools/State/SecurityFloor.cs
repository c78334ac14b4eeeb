using System.Globalization;
using System.Runtime.InteropServices;
using Reader.Shared.Interop.Libc;
using Reader.Shared.Storage;

namespace Reader.Firmware.State;

/// <summary>What the anti-rollback floor says: a number, or why it cannot be trusted (then nothing may be installed).</summary>
public sealed record FloorReading(int? Value, string? Problem)
{
    public bool IsReadable => Value is not null;
}

/// <summary>
/// The device's anti-rollback floor and the security version recorded per slot, as small text files in a folder
/// only root may write (<c>/data/firmware</c> on the device; the RAUC handlers in firmware/rauc/ share it). The floor
/// is trusted only when the folder and the file belong to root, nobody else may write them, and the file holds
/// nothing but a decimal number: anything else — missing, <c>abc</c>, <c>5x</c>, empty, a symbolic link, written by
/// the service user — refuses every installation (fail closed). Writes are temp file, fsync, rename, fsync(folder).
/// </summary>
internal sealed class SecurityFloor(string stateDirectory, uint trustedOwner = 0)
{
    private const int MaxDigits = 9;

    public string FloorFile => Path.Combine(stateDirectory, "security-floor");

    /// <summary>The floor, or the reason it cannot be trusted.</summary>
    public FloorReading Read()
    {
        string? problem = UntrustedFolder() ?? Untrusted(FloorFile, "the anti-rollback floor");
        if (problem is not null)
        {
            return new FloorReading(null, problem);
        }

        return ParseNumber(File.ReadAllBytes(FloorFile)) is { } value
            ? new FloorReading(value, null)
            : new FloorReading(null, $"{FloorFile} does not hold a security version (a decimal number)");
    }

    /// <summary>The security version the post-install handler recorded for <paramref name="slot"/> (null: none, or not trustworthy).</summary>
    public int? ReadSlot(string slot)
    {
        string file = SlotFile(slot);
        return UntrustedFolder() is null && Untrusted(file, "a slot's security version") is null ? ParseNumber(File.ReadAllBytes(file)) : null;
    }

    /// <summary>
    /// Raises the floor to <paramref name="securityVersion"/>; never lowers it. A missing floor is written (the first
    /// healthy boot of a device provisions it); an unreadable one is left as it is and reported, never overwritten
    /// with something lower. Returns the floor now in force.
    /// </summary>
    /// <exception cref="FirmwareException"><see cref="FirmwareErrorCode.FloorUnreadable"/>.</exception>
    public int Raise(int securityVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(securityVersion);
        FloorReading current = Read();
        if (current.Value is { } floor && securityVersion <= floor)
        {
            return floor;
        }

        // Only a floor that is not there at all, in a trusted folder (or none yet), is written from scratch.
        bool provisioning = Missing(FloorFile) && (Missing(stateDirectory) || UntrustedFolder() is null);
        if (current.Value is null && !provisioning)
        {
            throw new FirmwareException(FirmwareErrorCode.FloorUnreadable, current.Problem!);
        }

        Write(securityVersion);
        return securityVersion;
    }

    private void Write(int securityVersion)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the floor is a root-owned file on the Linux device");
        }

        if (!Directory.Exists(stateDirectory))
        {
            Directory.CreateDirectory(stateDirectory);
            File.SetUnixFileMode(stateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // Readable by all (the service reports it), writable by its owner (root on the device) alone.
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        SecureFile.WriteAllText(FloorFile, securityVersion.ToString(CultureInfo.InvariantCulture) + "\n", readable);
    }

    private string SlotFile(string slot) => Path.Combine(stateDirectory, "slots", slot + ".security-version");

    private string? UntrustedFolder() => Untrusted(stateDirectory, "the firmware state folder", folder: true);

    private static unsafe bool Missing(string path)
    {
        Libc.statx_buffer status;
        return Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &status) != 0 && Marshal.GetLastPInvokeError() == 2;
    }

    /// <summary>Null when <paramref name="path"/> is a regular file (or folder) of the trusted owner that nobody else may write.</summary>
    private unsafe string? Untrusted(string path, string what, bool folder = false)
    {
        Libc.statx_buffer status;
        if (Libc.statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &status) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == 2 ? $"{what} is missing ({path})" : $"{what} cannot be read ({path}: errno {errno})";
        }

        if ((status.stx_mode & Libc.S_IFMT) != (folder ? Libc.S_IFDIR : Libc.S_IFREG))
        {
            return $"{what} is not a plain {(folder ? "folder" : "file")} ({path})";
        }

        if (status.stx_uid != trustedOwner)
        {
            return $"{what} belongs to uid {status.stx_uid}, not to {(trustedOwner == 0 ? "root" : "uid " + trustedOwner)} ({path})";
        }

        // Group or others may not write it (0o022).
        return (status.stx_mode & 0x12) != 0 ? $"{what} may be written by others ({path})" : null;
    }

    /// <summary>"5" or "5\n" and nothing else: no sign, no spaces, no "5x".</summary>
    private static int? ParseNumber(ReadOnlySpan<byte> content)
    {
        if (content.EndsWith("\n"u8))
        {
            content = content[..^1];
        }

        if (content.IsEmpty || content.Length > MaxDigits)
        {
            return null;
        }

        int value = 0;
        foreach (byte digit in content)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            value = (value * 10) + (digit - '0');
        }

        return value;
    }
}
