using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Tests.Infrastructure;

/// <summary>Builds readers and terminals on a <see cref="TestBroker"/> with short, test-friendly timings.</summary>
internal static class Rig
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static ReaderLinkOptions ReaderOptions(ReaderIdentityStore identity, Func<ReaderLinkOptions, ReaderLinkOptions>? tweak = null)
    {
        ReaderLinkOptions options = new ReaderLinkOptionsBuilder(identity.DataDirectory, "1.2.3-test")
            .WithModel("test-reader")
            .WithWillDelay(TimeSpan.FromSeconds(2))
            .WithResultRetryInterval(TimeSpan.FromMilliseconds(700))
            .WithCardCheckTimeout(TimeSpan.FromSeconds(1))
            .WithCommandTimeouts(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2))
            .WithReconnectPolicy(new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) })
            .Build();
        return tweak is null ? options : tweak(options);
    }

    public static async Task<ReaderLink> StartReaderAsync(ReaderIdentityStore identity, IReaderCommandHandler? handler = null, Func<ReaderLinkOptions, ReaderLinkOptions>? tweak = null)
    {
        ReaderLink link = ReaderLink.Create(ReaderOptions(identity, tweak), handler ?? new RecordingCommandHandler());
        await link.StartAsync(CancellationToken.None);
        await link.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Wait);
        return link;
    }

    public static TerminalClientOptions TerminalOptions(TestBroker broker, bool operatorIdentity = false) => new()
    {
        TerminalId = broker.Profile.TerminalId,
        ClientId = operatorIdentity ? broker.Profile.TerminalId + "-op" : broker.Profile.TerminalId,
        Broker = broker.TerminalOptions(operatorIdentity),
        DataDirectory = Path.Combine(broker.Root, "terminal-data"),
        ServeReaders = !operatorIdentity,
        CommandTimeout = TimeSpan.FromSeconds(4),
    };

    public static async Task<TerminalClient> StartTerminalAsync(TestBroker broker, Func<TerminalClientOptions, TerminalClientOptions>? tweak = null)
    {
        TerminalClientOptions options = TerminalOptions(broker);
        var terminal = TerminalClient.Create(tweak is null ? options : tweak(options));
        await terminal.StartAsync(waitForConnection: true, CancellationToken.None).WaitAsync(Wait);
        return terminal;
    }

    public static string SessionId(int n) => $"sess-{n:D6}-{Guid.NewGuid().ToString("N")[..8]}";
}
