using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Reader.SimulatedReader;

/// <summary>What the simulated reader prints (one JSON object a line, flushed, for the test that reads it) and its stderr log.</summary>
internal static class JsonLines
{
    public static readonly Option<bool> VerboseOption = new("--verbose") { Description = "log details to stderr", Recursive = true };

    public static void Write(Action<Utf8JsonWriter> body)
    {
        using (var json = new Utf8JsonWriter(Console.OpenStandardOutput()))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        Console.WriteLine();
        Console.Out.Flush();
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
