using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Reader.Shared.Interop.Libc;

namespace Reader.Shared.Storage;

/// <summary>
/// The one durable write of state in the repository (facility configuration, pairing and identity, the outbox, the
/// security floor, the kiosk key, the terminal's files): write a temporary file beside the target with exactly the
/// given mode (0600 unless told), fsync it, rename it over the target, fsync the folder. A reader of the target sees
/// the old or the new content, never a torn one, and a power cut after the call returns keeps the new one.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class SecureFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode mode = OwnerOnly)
    {
        string temporary = WriteTemporary(path, content, mode);
        try
        {
            Commit(temporary, path);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>First half of <see cref="WriteAllBytes"/>: the content, fsynced, in a temporary file beside <paramref name="path"/>.</summary>
    public static string WriteTemporary(string path, ReadOnlySpan<byte> content, UnixFileMode mode = OwnerOnly)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            };
            using var stream = new FileStream(temporary, options);
            // The create mode passes through the umask; the file gets exactly the mode asked for.
            File.SetUnixFileMode(stream.SafeFileHandle, mode);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
            return temporary;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Second half: rename the temporary file over <paramref name="path"/> and make the rename durable.</summary>
    public static void Commit(string temporary, string path)
    {
        File.Move(temporary, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static void Discard(string temporary) => TryDelete(temporary);

    /// <summary>A durable rename inside one folder (e.g. setting a damaged file aside): the move, then fsync of the folder.</summary>
    public static void Rename(string source, string destination)
    {
        File.Move(source, destination, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    public static void WriteAllText(string path, string content, UnixFileMode mode = OwnerOnly) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content), mode);

    /// <summary>Creates the folder (and parents) and makes it owner-only.</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }

    /// <summary>fsync on the folder makes a rename or delete durable, not just the file's bytes.</summary>
    public static void SyncDirectory(string directory)
    {
        int fd = Libc.open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        using var handle = new SafeFileDescriptor(fd);
        if (Libc.fsync(handle.Number) != 0)
        {
            throw new IOException($"fsync of folder {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
