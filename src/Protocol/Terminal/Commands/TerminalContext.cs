using System.CommandLine;
using Microsoft.Extensions.Logging;
using Reader.Protocol.TerminalSide;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Reader.Terminal.Commands;

/// <summary>Options every verb shares, and where things live by default ($READER_RUN/broker, $READER_RUN/terminal).</summary>
internal static class TerminalContext
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "terminal data folder: paired readers, delivery journal (default $READER_RUN/terminal)",
        Recursive = true,
    };

    public static readonly Option<string?> BrokerDirectoryOption = new("--broker-dir")
    {
        Description = "clinic broker folder made by 'broker init' (default $READER_RUN/broker)",
        Recursive = true,
    };

    public static readonly Option<bool> VerboseOption = new("--verbose") { Description = "log details to stderr", Recursive = true };

    public static string RunDirectory =>
        Environment.GetEnvironmentVariable("READER_RUN") is { Length: > 0 } run ? run : Path.Combine(Directory.GetCurrentDirectory(), ".run");

    public static string DataDirectory(ParseResult parse) => Path.GetFullPath(parse.GetValue(DataOption) ?? Path.Combine(RunDirectory, "terminal"));

    public static string BrokerDirectory(ParseResult parse) => Path.GetFullPath(parse.GetValue(BrokerDirectoryOption) ?? Path.Combine(RunDirectory, "broker"));

    /// <summary>The terminal profile written by 'broker init'; null (and a message) when there is none.</summary>
    public static TerminalProfile? Profile(ParseResult parse)
    {
        string path = Path.Combine(BrokerDirectory(parse), "terminal", TerminalProfile.FileName);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"reader-terminal: no terminal profile at {path}; run 'reader-terminal broker init' (or './reader sim up') first");
            return null;
        }

        return TerminalProfile.Load(path);
    }

    public static ILoggerFactory Loggers(ParseResult parse)
    {
        Serilog.Core.Logger logger = new LoggerConfiguration()
            .MinimumLevel.Is(parse.GetValue(VerboseOption) ? LogEventLevel.Debug : LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }
}
