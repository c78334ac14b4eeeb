using Reader.Device.Hosting.Sections;
using Reader.Shared.Storage;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>
/// The data folder (identity, pairing, outbox) takes a durable write: a file written, fsynced, renamed into place
/// and the folder fsynced, exactly as the outbox does it, then removed. This is where a libc constant with another
/// architecture's value shows first (issue 9: O_DIRECTORY on arm64).
/// </summary>
internal sealed class DataFolderCheck(ProtocolOptions options) : ISelfTestCheck
{
    public string Name => "data-folder";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var folder = options.ResolvedDataDirectory();
        var probe = Path.Combine(folder, $".self-test-{Environment.ProcessId}");
        try
        {
            if (!Directory.Exists(folder))
            {
                SecureFile.EnsurePrivateDirectory(folder);
            }

            SecureFile.WriteAllBytes(probe, "self-test"u8);
            SecureFile.Delete(probe);
            return Task.FromResult(SelfTestResult.Pass($"{folder}: durable write (fsync of file and folder)"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return Task.FromResult(SelfTestResult.Fail($"{folder}: {e.Message}"));
        }
    }
}
