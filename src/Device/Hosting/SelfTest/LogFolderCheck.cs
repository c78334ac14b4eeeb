using Reader.Device.Hosting.Sections;

namespace Reader.Device.Hosting.SelfTest;

internal sealed class LogFolderCheck(LoggingOptions options) : ISelfTestCheck
{
    public string Name => "log-folder";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var folder = options.ResolvedFolder();
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return Task.FromResult(SelfTestResult.Pass($"{folder} writable"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(SelfTestResult.Fail($"{folder} not writable: {e.Message}"));
        }
    }
}
