using Reader.Card.Apdu;
using Reader.Card.Errors;
using Reader.Card.Pcsc;

namespace Reader.Card.Tests.Unit;

public class ApduTransportTests
{
    [Fact]
    public async Task Sw_61xx_is_followed_by_get_response_and_the_data_joined()
    {
        var channel = new ScriptedChannel(
            Ok, Ok,
            [0xAA, 0xBB, 0x61, 0x03],
            [0xCC, 0xDD, 0xEE, 0x90, 0x00]);
        var transport = await OnTokenFileAsync(channel);
        var response = await transport.SendAsync(new CommandApdu(0x00, 0xB0, 0x00, 0x00, default, 256), CancellationToken.None);
        Assert.True(response.IsSuccess);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC, 0xDD, 0xEE }, response.Data);
        Assert.Equal("00C0000003", Convert.ToHexString(channel.Sent[3]));
        Assert.Equal(4, transport.Counters.Apdus);
    }

    [Fact]
    public async Task Sw_6cxx_resends_with_the_length_the_card_asks_for()
    {
        var channel = new ScriptedChannel(Ok, Ok, [0x6C, 0x20], [.. new byte[0x20], 0x90, 0x00]);
        var transport = await OnTokenFileAsync(channel);
        var response = await transport.SendAsync(new CommandApdu(0x00, 0xB0, 0x00, 0x00, default, 256), CancellationToken.None);
        Assert.Equal(0x20, response.Data.Length);
        Assert.Equal("00B0000020", Convert.ToHexString(channel.Sent[3]));
    }

    [Fact]
    public async Task Sw_6cxx_to_a_command_without_le_is_not_resent()
    {
        var channel = new ScriptedChannel([0x6C, 0x02]);
        var transport = new ApduTransport(channel);
        var response = await transport.SendAsync(new CommandApdu(0x00, 0xA4, 0x04, 0x0C, CardApplicationsJpki()), CancellationToken.None);
        Assert.Equal("6C02", response.Status.ToString());
        Assert.Single(channel.Sent);
    }

    [Fact]
    public async Task Transport_failures_become_card_errors()
    {
        var select = new CommandApdu(0x00, 0xA4, 0x04, 0x0C, CardApplicationsJpki());
        var transport = new ApduTransport(new ThrowingChannel(new PcscException(PcscErrorKind.CardRemoved, 0x80100069, "SCardTransmit")));
        var ex = await Assert.ThrowsAsync<CardException>(async () => await transport.SendAsync(select, CancellationToken.None));
        Assert.Equal(CardErrorCode.CardRemoved, ex.Code);
        var mute = new ApduTransport(new ScriptedChannel([0x90]));
        Assert.Equal(CardErrorCode.Unreadable, (await Assert.ThrowsAsync<CardException>(async () => await mute.SendAsync(select, CancellationToken.None))).Code);
    }

    private static readonly byte[] Ok = [0x90, 0x00];

    private static byte[] CardApplicationsJpki() => Reader.Card.MyNumber.CardApplications.Jpki.ToArray();

    /// <summary>SELECT of the JPKI application and its token EF first: the guard allows READ BINARY only on a file the client reads.</summary>
    private static async Task<ApduTransport> OnTokenFileAsync(ScriptedChannel channel)
    {
        var transport = new ApduTransport(channel);
        await transport.SendAsync(new CommandApdu(0x00, 0xA4, 0x04, 0x0C, CardApplicationsJpki()), CancellationToken.None);
        await transport.SendAsync(new CommandApdu(0x00, 0xA4, 0x02, 0x0C, new byte[] { 0x00, 0x06 }), CancellationToken.None);
        return transport;
    }

    private sealed class ScriptedChannel(params byte[][] responses) : ICardChannel
    {
        private int _next;

        public List<byte[]> Sent { get; } = [];

        public ReadOnlyMemory<byte> Atr => default;

        public int MaxApduDataSize => 0;

        public ValueTask<int> TransmitAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken)
        {
            Sent.Add(command.ToArray());
            var answer = responses[_next++];
            answer.CopyTo(response);
            return ValueTask.FromResult(answer.Length);
        }

        public ValueTask ResetAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingChannel(Exception error) : ICardChannel
    {
        public ReadOnlyMemory<byte> Atr => default;

        public int MaxApduDataSize => 0;

        public ValueTask<int> TransmitAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken) => throw error;

        public ValueTask ResetAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Dispose()
        {
        }
    }
}
