namespace Reader.Device.Hosting.Sections;

/// <summary>The "Logging" section: where the service writes its rolling log files and how much it keeps.</summary>
public sealed class LoggingOptions : IReaderOptions
{
    /// <summary>Log folder; empty = $READER_RUN/logs in development, /var/log/reader on a device.</summary>
    public string Folder { get; set; } = "";

    public int RetainedDays { get; set; } = 14;

    public int FileSizeLimitMb { get; set; } = 10;

    /// <summary>Verbose, Debug, Information, Warning, Error.</summary>
    public string MinimumLevel { get; set; } = "Information";

    public bool Console { get; set; } = true;

    public string ResolvedFolder()
    {
        if (!string.IsNullOrWhiteSpace(Folder))
        {
            return Folder;
        }

        var run = Environment.GetEnvironmentVariable("READER_RUN");
        return string.IsNullOrEmpty(run) ? "/var/log/reader" : Path.Combine(run, "logs");
    }

    public IEnumerable<string> Validate()
    {
        if (RetainedDays is < 1 or > 366)
        {
            yield return $"RetainedDays: must be 1..366 days, got {RetainedDays}";
        }

        if (FileSizeLimitMb is < 1 or > 1024)
        {
            yield return $"FileSizeLimitMb: must be 1..1024, got {FileSizeLimitMb}";
        }

        if (!Enum.TryParse<Serilog.Events.LogEventLevel>(MinimumLevel, ignoreCase: true, out _))
        {
            yield return $"MinimumLevel: '{MinimumLevel}' is not one of Verbose, Debug, Information, Warning, Error, Fatal";
        }
    }
}
