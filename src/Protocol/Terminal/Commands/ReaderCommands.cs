using System.CommandLine;
using System.Text.Json;
using Reader.Protocol.Contract;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Terminal.Commands;

/// <summary><c>mode</c>, <c>cancel</c>, <c>config</c>, <c>self-test</c>, <c>update</c>: one command, one response (JSON), exit code from its status.</summary>
internal static class ReaderCommands
{
    private static readonly Argument<string> ReaderArgument = new("reader") { Description = "reader id (rdr-…)" };

    public static IEnumerable<Command> Create()
    {
        var mode = new Argument<string>("mode") { Description = "automatic (自動運転), visual-check (目視) or maintenance" };
        mode.AcceptOnlyFromAmong("automatic", "visual-check", "maintenance");
        var setMode = new Command("mode", "switch a reader's mode") { ReaderArgument, mode };
        setMode.SetAction((parse, token) => RunAsync(parse, (client, reader, ct) => client.SetModeAsync(reader, ModeOf(parse.GetValue(mode)!), ct), token));
        yield return setMode;

        var session = new Option<string?>("--session") { Description = "cancel only this session" };
        var cancel = new Command("cancel", "cancel the reader's running session") { ReaderArgument, session };
        cancel.SetAction((parse, token) => RunAsync(parse, (client, reader, ct) => client.CancelSessionAsync(reader, parse.GetValue(session), ct), token));
        yield return cancel;

        var file = new Option<string>("--file") { Description = "facility configuration (JSON: version, consentItems, ePrescription, languages)", Required = true };
        var config = new Command("config", "push the facility configuration (consent items and texts, e-prescription, languages)") { ReaderArgument, file };
        config.SetAction((parse, token) =>
        {
            FacilityConfiguration configuration;
            try
            {
                configuration = ProtocolJson.Deserialize(File.ReadAllBytes(parse.GetValue(file)!), ProtocolJsonContext.Default.FacilityConfiguration);
            }
            catch (Exception e) when (e is ProtocolFormatException or IOException)
            {
                Console.Error.WriteLine("reader-terminal: cannot read the configuration: " + e.Message);
                return Task.FromResult(2);
            }

            return RunAsync(parse, (client, reader, ct) => client.PushConfigurationAsync(reader, configuration, ct), token);
        });
        yield return config;

        var selfTest = new Command("self-test", "run the reader's self-test") { ReaderArgument };
        selfTest.SetAction((parse, token) => RunAsync(parse, (client, reader, ct) => client.RunSelfTestAsync(reader, ct), token));
        yield return selfTest;

        var url = new Option<string>("--url") { Description = "signed bundle URL", Required = true };
        var sha = new Option<string>("--sha256") { Description = "bundle SHA-256 (hex)", Required = true };
        var version = new Option<string>("--version") { Description = "bundle version", Required = true };
        var update = new Command("update", "tell the reader to install a signed bundle") { ReaderArgument, url, sha, version };
        update.SetAction((parse, token) => RunAsync(
            parse, (client, reader, ct) => client.StartUpdateAsync(reader, new Uri(parse.GetValue(url)!), parse.GetValue(sha)!, parse.GetValue(version)!, ct), token));
        yield return update;
    }

    private static ReaderMode ModeOf(string wire) => wire switch
    {
        "visual-check" => ReaderMode.VisualCheck,
        "maintenance" => ReaderMode.Maintenance,
        _ => ReaderMode.Automatic,
    };

    private static async Task<int> RunAsync(
        ParseResult parse, Func<TerminalClient, string, CancellationToken, Task<CommandResponse>> send, CancellationToken token)
    {
        TerminalProfile? profile = TerminalContext.Profile(parse);
        if (profile is null)
        {
            return 2;
        }

        await using TerminalClient client = TerminalClient.Create(PairCommands.Operator(profile, parse));
        try
        {
            await client.ConnectOnceAsync(token);
        }
        catch (MqttTransportException e)
        {
            Console.Error.WriteLine($"reader-terminal: cannot reach the broker ({e.Code}): {e.Message}");
            return 1;
        }

        CommandResponse response = await send(client, parse.GetValue(ReaderArgument)!, token);
        Console.WriteLine(JsonSerializer.Serialize(response, ProtocolJsonContext.Default.CommandResponse));
        return response.Status switch
        {
            CommandStatus.Ok or CommandStatus.Accepted => 0,
            CommandStatus.Timeout => 4,
            _ => 1,
        };
    }
}
