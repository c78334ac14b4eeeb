using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.Sections;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Reader.Device.Hosting;

/// <summary>
/// Serilog at the host: a rolling, size-capped file per day under the log folder (kept RetainedDays), plus the
/// console. Libraries log through Microsoft.Extensions.Logging; SessionId and CardEventId come from scopes.
/// </summary>
public static class LoggingSetup
{
    private const string Template = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {SourceContext} {SessionId} {CardEventId} {Message:lj}{NewLine}{Exception}";

    public static ILoggerFactory CreateFactory(LoggingOptions options, bool console = true)
    {
        var folder = options.ResolvedFolder();
        Directory.CreateDirectory(folder);
        var level = Enum.Parse<LogEventLevel>(options.MinimumLevel, ignoreCase: true);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The kiosk's web server logs every request at Information: keep its warnings only.
            .MinimumLevel.Override("Microsoft", level > LogEventLevel.Warning ? level : LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.File(
                Path.Combine(folder, "reader-.log"),
                outputTemplate: Template,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: options.FileSizeLimitMb * 1024L * 1024L,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: null,
                retainedFileTimeLimit: TimeSpan.FromDays(options.RetainedDays));
        if (console && options.Console)
        {
            configuration = configuration.WriteTo.Console(outputTemplate: Template, formatProvider: System.Globalization.CultureInfo.InvariantCulture, standardErrorFromLevel: LogEventLevel.Verbose);
        }

        return new SerilogLoggerFactory(configuration.CreateLogger(), dispose: true);
    }
}
