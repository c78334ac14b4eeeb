using System.Text;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Tests.Infrastructure;
using Reader.SimulatedReader;

namespace Reader.Protocol.Tests;

/// <summary>Terminal → reader commands: MQTT 5 request/response, explicit status codes, bounded time-outs.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private TestBroker _broker = null!;
    private ReaderIdentityStore _identity = null!;
    private RecordingCommandHandler _handler = null!;
    private ReaderLink _reader = null!;
    private TerminalClient _terminal = null!;
    private TerminalClient _operator = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        _identity = _broker.ProvisionReader("rdr-a001");
        _handler = new RecordingCommandHandler();
        _reader = await Rig.StartReaderAsync(_identity, _handler);
        _terminal = await Rig.StartTerminalAsync(_broker, o => o with { AutoAcknowledge = true });
        _operator = TerminalClient.Create(Rig.TerminalOptions(_broker, operatorIdentity: true));
        await _operator.ConnectOnceAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _terminal.DisposeAsync();
        await _reader.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Set_mode_to_visual_check_is_applied_and_shown_in_the_retained_status()
    {
        CommandResponse response = await _operator.SetModeAsync("rdr-a001", ReaderMode.VisualCheck, CancellationToken.None);

        Assert.Equal(CommandStatus.Ok, response.Status);
        Assert.Equal(ReaderMode.VisualCheck, response.Mode);
        Assert.Equal(ReaderMode.VisualCheck, _reader.Mode);
        Assert.Contains("set-mode VisualCheck", _handler.Calls);
        await Eventually.TrueAsync(
            () => _terminal.ReaderStatuses.TryRead(out ReaderStatusUpdate? update) && update.Status?.State == ReaderState.VisualCheck,
            Rig.Wait,
            "the retained status to say visual-check");

        // The visual path's result carries who authorised it.
        SessionResult visual = _reader.NewResult("sess-visual-1", VerificationMethod.Visual, Decision.Confirmed) with
        {
            Certificate = Convert.ToBase64String(SimulatedResults.CardCertificate()),
        };
        Assert.Equal("term-01", visual.Visual!.AuthorisedBy);
        await _reader.SubmitResultAsync(visual, CancellationToken.None);
        VerifiedResult received = await _terminal.Results.NextAsync(Rig.Wait, "the visual-check result");
        Assert.Equal(VerificationMethod.Visual, received.Result.Method);
    }

    [Fact]
    public async Task Cancel_push_config_self_test_and_update_each_get_their_status()
    {
        Assert.Equal(CommandStatus.Ok, (await _operator.CancelSessionAsync("rdr-a001", "sess-current-1", CancellationToken.None)).Status);
        Assert.Equal(CommandStatus.NoSession, (await _operator.CancelSessionAsync("rdr-a001", "sess-other-99", CancellationToken.None)).Status);

        var configuration = new FacilityConfiguration
        {
            Version = 3,
            EPrescription = true,
            Languages = ["ja", "en"],
            ConsentItems =
            [
                new ConsentItemDefinition
                {
                    Key = "PharmacistsInfo",
                    Texts = new Dictionary<string, LocalizedConsentText>
                    {
                        ["ja"] = new("診療・薬剤情報", "過去の診療・薬剤情報を医師等が閲覧することに同意しますか"),
                        ["en"] = new("Medication history", "Allow doctors to see your past treatment and medication."),
                    },
                },
            ],
        };
        CommandResponse pushed = await _operator.PushConfigurationAsync("rdr-a001", configuration, CancellationToken.None);
        Assert.Equal(CommandStatus.Ok, pushed.Status);
        Assert.Equal(3, pushed.ConfigurationVersion);
        Assert.Equal("診療・薬剤情報", _handler.Configuration!.ConsentItems[0].Texts["ja"].Title);

        CommandResponse stale = await _operator.PushConfigurationAsync("rdr-a001", configuration with { Version = 2 }, CancellationToken.None);
        Assert.Equal(CommandStatus.BadRequest, stale.Status);
        Assert.Equal("stale-version", stale.Detail);

        CommandResponse selfTest = await _operator.RunSelfTestAsync("rdr-a001", CancellationToken.None);
        Assert.Equal(CommandStatus.Ok, selfTest.Status);
        Assert.Contains(selfTest.Checks!, c => c.Check == "camera" && !c.Ok && c.Code == "no-device");

        CommandResponse update = await _operator.StartUpdateAsync("rdr-a001", new Uri("https://terminal.local/bundles/reader-1.3.0.raucb"), new string('a', 64), "1.3.0", CancellationToken.None);
        Assert.Equal(CommandStatus.Accepted, update.Status);
    }

    [Fact]
    public async Task A_configuration_in_BCP_47_tags_is_accepted_and_anything_else_is_bad_languages()
    {
        var configuration = new FacilityConfiguration
        {
            Version = 40,
            EPrescription = false,
            Languages = ["ja", "en", "zh-Hans", "ko-KR", "vi", "zh-Hans-CN", "es-419"],
            ConsentItems =
            [
                new ConsentItemDefinition
                {
                    Key = "PharmacistsInfo",
                    Texts = new Dictionary<string, LocalizedConsentText> { ["ja"] = new("薬剤情報", "お薬"), ["zh-Hans"] = new("药剂信息", "用药"), ["ko-KR"] = new("약제 정보", "약") },
                },
            ],
        };
        Assert.Equal(CommandStatus.Ok, (await _operator.PushConfigurationAsync("rdr-a001", configuration, CancellationToken.None)).Status);

        foreach (var language in new[] { "zh_Hans", "Chinese", "zh-Hans-", "ja-JP-x-private", "" })
        {
            var refused = await _operator.PushConfigurationAsync("rdr-a001", configuration with { Version = 41, Languages = ["ja", language] }, CancellationToken.None);
            Assert.Equal((CommandStatus.BadRequest, "bad-languages"), (refused.Status, refused.Detail));
        }
    }

    [Fact]
    public async Task Malformed_oversized_unknown_and_incomplete_commands_get_error_responses_and_the_reader_keeps_working()
    {
        CommandResponse notJson = await _operator.SendRawAsync("rdr-a001", "set-mode", Encoding.UTF8.GetBytes("{not json"), "", CancellationToken.None);
        Assert.Equal(CommandStatus.BadRequest, notJson.Status);
        Assert.Equal("malformed-json", notJson.Detail);

        CommandResponse missing = await _operator.SendRawAsync("rdr-a001", "set-mode", Encoding.UTF8.GetBytes("{\"v\":1,\"requestId\":\"r1\",\"issuedAt\":\"2025-01-01T00:00:00Z\"}"), "", CancellationToken.None);
        Assert.Equal(CommandStatus.BadRequest, missing.Status);
        Assert.Equal("missing-field", missing.Detail);

        CommandResponse badEnum = await _operator.SendRawAsync("rdr-a001", "set-mode", Encoding.UTF8.GetBytes("{\"v\":1,\"requestId\":\"r2\",\"issuedAt\":\"2025-01-01T00:00:00Z\",\"mode\":\"party\"}"), "", CancellationToken.None);
        Assert.Equal(CommandStatus.BadRequest, badEnum.Status);

        byte[] huge = Encoding.UTF8.GetBytes("{\"v\":1,\"requestId\":\"r3\",\"pad\":\"" + new string('x', 100_000) + "\"}");
        CommandResponse oversized = await _operator.SendRawAsync("rdr-a001", "push-config", huge, "", CancellationToken.None);
        Assert.Equal(CommandStatus.TooLarge, oversized.Status);

        CommandResponse unknown = await _operator.SendRawAsync("rdr-a001", "format-disk", Encoding.UTF8.GetBytes("{}"), "", CancellationToken.None);
        Assert.Equal(CommandStatus.UnknownCommand, unknown.Status);

        CommandResponse expired = await _operator.SendRawAsync("rdr-a001", "set-mode", Encoding.UTF8.GetBytes(
            "{\"v\":1,\"requestId\":\"r4\",\"issuedAt\":\"2025-01-01T00:00:00Z\",\"deadline\":\"2025-01-01T00:00:05Z\",\"mode\":\"maintenance\"}"), "", CancellationToken.None);
        Assert.Equal(CommandStatus.Expired, expired.Status);
        Assert.Equal(ReaderMode.Automatic, _reader.Mode);

        // Still working: a command and a result both go through.
        Assert.Equal(CommandStatus.Ok, (await _operator.SetModeAsync("rdr-a001", ReaderMode.Maintenance, CancellationToken.None)).Status);
        await _reader.SubmitResultAsync(SimulatedResults.Face(_reader, "sess-after-bad", ConsentMode.Individual), CancellationToken.None);
        await _terminal.Results.NextAsync(Rig.Wait, "a result after the bad commands");
    }

    [Fact]
    public async Task A_retried_request_id_gets_the_same_response_without_a_second_run()
    {
        byte[] request = Encoding.UTF8.GetBytes("{\"v\":1,\"requestId\":\"retry-1\",\"issuedAt\":\"2030-01-01T00:00:00Z\"}");
        CommandResponse first = await _operator.SendRawAsync("rdr-a001", "self-test", request, "retry-1", CancellationToken.None);
        CommandResponse second = await _operator.SendRawAsync("rdr-a001", "self-test", request, "retry-1", CancellationToken.None);

        Assert.Equal(first with { Checks = null }, second with { Checks = null });
        Assert.Equal(first.Checks, second.Checks);
        Assert.Single(_handler.Calls, c => c == "self-test");
    }

    [Fact]
    public async Task A_handler_that_overruns_its_bound_answers_timeout()
    {
        _handler.SelfTestDelay = TimeSpan.FromSeconds(10);
        CommandResponse response = await _operator.RunSelfTestAsync("rdr-a001", CancellationToken.None);
        Assert.Equal(CommandStatus.Timeout, response.Status);
        Assert.StartsWith("bound-", response.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APDU_relay_passes_the_designated_institution_authentication_and_refuses_PIN_reads_and_other_applications()
    {
        byte[] selectJpki = Convert.FromHexString("00A4040C0AD392F000260100000001");
        byte[] selectKeyReference = Convert.FromHexString("00A4020C020016");
        byte[] challenge = Convert.FromHexString("0084000008");
        byte[] readBinary = Convert.FromHexString("00B0820000");
        byte[] verifyPin = Convert.FromHexString("0020008004" + "31323334");
        byte[] selectInputHelper = Convert.FromHexString("00A4040C0AD3921000310001010408");

        Assert.Equal(CommandStatus.Ok, (await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", selectJpki, CancellationToken.None)).Status);
        Assert.Equal(CommandStatus.Ok, (await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", selectKeyReference, CancellationToken.None)).Status);
        CommandResponse answered = await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", challenge, CancellationToken.None);
        Assert.Equal(CommandStatus.Ok, answered.Status);
        Assert.Equal("9000", answered.ApduResponse);

        CommandResponse read = await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", readBinary, CancellationToken.None);
        Assert.Equal(CommandStatus.NotAllowed, read.Status);
        Assert.Equal("read-not-allowed", read.Detail);

        CommandResponse pin = await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", verifyPin, CancellationToken.None);
        Assert.Equal(CommandStatus.NotAllowed, pin.Status);
        Assert.Equal("pin-never-relayed", pin.Detail);

        CommandResponse helper = await _operator.RelayApduAsync("rdr-a001", "sess-relay-1", selectInputHelper, CancellationToken.None);
        Assert.Equal(CommandStatus.NotAllowed, helper.Status);
        Assert.DoesNotContain(_handler.Calls, c => c.StartsWith("apdu 0020", StringComparison.Ordinal) || c.StartsWith("apdu 00B0", StringComparison.Ordinal) || c.Contains("0408", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Card_check_returns_the_terminal_challenge_and_registration()
    {
        await _terminal.DisposeAsync();
        _terminal = await Rig.StartTerminalAsync(_broker, o => o with
        {
            AutoAcknowledge = true,
            CardCheckHandler = (request, _) => Task.FromResult(new CardCheckResponse
            {
                SessionId = request.SessionId,
                Registration = CardRegistration.NotRegistered,
                Challenge = Convert.ToBase64String(new byte[32]),
            }),
        });

        CardCheckOutcome outcome = await _reader.CheckCardAsync("sess-check-1", SimulatedResults.CardCertificate(), CancellationToken.None);

        Assert.True(outcome.TerminalAnswered);
        Assert.Equal(CardRegistration.NotRegistered, outcome.Registration);
        Assert.Equal(ChallengeSource.Terminal, outcome.ChallengeSource);
        Assert.Equal(new byte[32], outcome.Challenge.ToArray());
    }

    [Fact]
    public async Task Card_check_falls_back_within_its_bound_when_the_terminal_does_not_answer()
    {
        await _terminal.DisposeAsync();
        _terminal = await Rig.StartTerminalAsync(_broker, o => o with { ServeReaders = false, ClientId = "term-01" });

        // The certificate's RSA key is made before the clock starts: on a loaded machine that alone took seconds.
        byte[] certificate = SimulatedResults.CardCertificate();
        var started = DateTime.UtcNow;

        CardCheckOutcome outcome = await _reader.CheckCardAsync("sess-check-2", certificate, CancellationToken.None);

        Assert.False(outcome.TerminalAnswered);
        Assert.Equal("timeout", outcome.FallbackReason);
        Assert.Equal(CardRegistration.Unknown, outcome.Registration);
        Assert.Equal(ChallengeSource.Reader, outcome.ChallengeSource);
        Assert.Equal(32, outcome.Challenge.Length);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "the bound is 1 s in this rig");
    }
}
