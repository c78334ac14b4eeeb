using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;

namespace Reader.Device.Commands;

/// <summary><c>card info</c> (<c>./reader bench card</c> is bench/Card).</summary>
internal sealed class CardCommands : ICommandGroup
{
    private static readonly Option<string?> ReaderOption = new("--reader") { Description = "PC/SC reader name (default: configured, else the first reader with a card)" };
    private static readonly Option<bool> TextOption = new("--text") { Description = "print what the clinic sees instead of JSON" };
    private static readonly Option<string?> FaceCodeOption = new("--face-code") { Description = "照合番号B (14 digits, or '-' to read it from stdin): also reads the photo and checks genuineness" };

    public IEnumerable<Command> Commands()
    {
        var info = new Command("info", "read the card and print JSON (card kind, certificate, PIN tries, photo/genuineness obtained, APDUs); never personal data")
        {
            ReaderOption, FaceCodeOption, TextOption,
        };
        info.SetAction(InfoAsync);
        yield return new Command("card", "My Number Card tools") { info };
    }

    internal static string? ReaderName(ParseResult parse, CardOptions? options)
    {
        var name = parse.GetValue(ReaderOption);
        return string.IsNullOrEmpty(name) ? (string.IsNullOrEmpty(options?.ReaderName) ? null : options.ReaderName) : name;
    }

    private static SecretDigits? ReadFaceCode(ParseResult parse)
    {
        var value = parse.GetValue(FaceCodeOption);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var digits = value == "-" ? (Console.In.ReadLine() ?? "").Trim() : value;
        if (digits.Length != 14)
        {
            throw new ArgumentException("照合番号B has 14 digits", nameof(parse));
        }

        return SecretDigits.FromChars(digits);
    }

    private static async Task<int> InfoAsync(ParseResult parse, CancellationToken token)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        var cardOptions = options.Get<CardOptions>();
        using var loggers = LoggingSetup.CreateFactory(options.Get<LoggingOptions>(), console: false);
        var logger = loggers.CreateLogger("Reader.Device.CardInfo");
        SecretDigits? faceCode;
        try
        {
            faceCode = ReadFaceCode(parse);
        }
        catch (ArgumentException)
        {
            await Console.Error.WriteLineAsync("reader-device: --face-code must be 14 digits");
            return 2;
        }

        using (faceCode)
        {
            CardReport report;
            var readerName = ReaderName(parse, cardOptions);
            try
            {
                using var context = PcscContext.Establish();
                using var channel = context.ConnectFirstCard(readerName);
                var client = new MyNumberCardClient(channel, cardOptions.ToClientOptions(), loggers.CreateLogger<MyNumberCardClient>());
                using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = "card-info" });
                report = await CardReport.ReadAsync(client, channel.ReaderName, faceCode, token);
            }
            catch (PcscException e)
            {
                var error = ApduTransportError(e);
                report = new CardReport { Reader = readerName, CardKind = "none", Error = ErrorReport.From(error) };
            }

            var errorCode = report.Error?.Code ?? "none";
            DeviceLog.CardInfo(logger, report.CardKind, errorCode, report.Apdus);
            Console.WriteLine(parse.GetValue(TextOption) ? CardReportText.Format(report) : JsonSerializer.Serialize(report, CommandContext.Json));
            return report.Error is null ? 0 : 3;
        }
    }

    private static CardError ApduTransportError(PcscException e) => e.Kind switch
    {
        PcscErrorKind.NoService => new CardError(CardErrorCode.ServiceUnavailable, "the PC/SC service (pcscd) is not running"),
        PcscErrorKind.NoReader => new CardError(CardErrorCode.ReaderUnavailable, "no card reader"),
        PcscErrorKind.NoCard => new CardError(CardErrorCode.NoCard, "no card in the reader"),
        PcscErrorKind.CardRemoved => new CardError(CardErrorCode.CardRemoved, "the card was removed"),
        PcscErrorKind.UnresponsiveCard => new CardError(CardErrorCode.Unreadable, "the card does not respond"),
        PcscErrorKind.SharingViolation => new CardError(CardErrorCode.CardBusy, "the card is in use by another application"),
        _ => new CardError(CardErrorCode.Unreadable, "the card could not be read"),
    };
}
