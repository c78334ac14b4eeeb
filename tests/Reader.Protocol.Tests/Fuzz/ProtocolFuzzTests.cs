using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Reader.Protocol.Contract;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Signing;
using Reader.TestSupport;
using Xunit.Abstractions;

namespace Reader.Protocol.Tests.Fuzz;

/// <summary>
/// Issue 13 item 8 (protocol side): every parser of bytes from the other side gets ≥ 100k mutated and random inputs
/// and must answer with our own outcome (a failed verification, null, <see cref="ProtocolFormatException"/>, a reason
/// code), never another exception. A failure prints the seed input in hex to reproduce it. The inputs are the shared
/// <see cref="ByteMutator"/>'s (tests/Shared/Fuzz) with its JSON mutations and the tokens below, plus random bytes.
/// </summary>
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 100_000;
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>What a broken or hostile peer could put in a message: bytes that break UTF-8 or JSON, odd escapes, numbers, dates, base64.</summary>
    private static readonly MutationProfile Messages = MutationProfile.JsonText(
    [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00],
        "\""u8.ToArray(), "\\"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\\ud800"u8.ToArray(), "\\udfff\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(),
        "1e999999"u8.ToArray(), "-0"u8.ToArray(), "99999999999999999999999"u8.ToArray(), "-2147483649"u8.ToArray(), "0.5"u8.ToArray(),
        "\"9999-99-99T99:99:99Z\""u8.ToArray(), "\"\""u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(),
        "\"=\""u8.ToArray(), "\"!!\""u8.ToArray(), "\"QUJD\""u8.ToArray(), "\"zz\""u8.ToArray(),
    ]);

    [Fact]
    public void Signed_result_envelopes_are_verified_or_refused_never_thrown()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=rdr-fuzz", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        using var verifier = new ResultVerifierKey(certificate);
        byte[][] seeds = [.. Results().Select(r => ResultSignature.Sign(r, key))];
        Assert.All(seeds, s => Assert.True(ResultSignature.Verify(s, "rdr-fuzz", verifier, Now).IsValid));

        var valid = 0;
        Run(nameof(ResultSignature.Verify), 1301, seeds, input =>
        {
            var verification = ResultSignature.Verify(input, "rdr-fuzz", verifier, Now);
            valid += verification.IsValid ? 1 : 0;
            Assert.Equal(verification.IsValid, verification.ReasonCode == "ok");
            _ = ResultSignature.PeekSessionId(input);
        });
        output.WriteLine($"{valid} mutated envelopes still verified (mutations outside the signed body)");
    }

    [Fact]
    public void The_signature_object_of_an_envelope_is_read_without_exceptions()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=rdr-fuzz", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        using var verifier = new ResultVerifierKey(certificate);
        var envelope = ResultSignature.Sign(Results().First(), key);
        var text = Encoding.UTF8.GetString(envelope);
        var body = text[(text.IndexOf("\"body\":", StringComparison.Ordinal) + 7)..text.IndexOf(",\"signature\"", StringComparison.Ordinal)];
        var random = new Random(1302);
        string Field() => random.Next(6) switch
        {
            0 => "\"ES256\"",
            1 => "\"" + verifier.KeyId + "\"",
            2 => "\"" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(random.Next(0, 130))) + "\"",
            3 => random.Next(-5, 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => "{\"x\":[1,2]}",
            _ => "null",
        };

        // The signature object rebuilt at random (names, values, duplicates, order), then mutated like any input.
        var seeds = Enumerable.Range(0, 400).Select(_ =>
        {
            var names = new[] { "alg", "keyId", "value", "alg", "kid", "value" }.OrderBy(_ => random.Next()).Take(random.Next(0, 6));
            var signature = "{" + string.Join(",", names.Select(n => $"\"{n}\":{Field()}")) + "}";
            return Encoding.UTF8.GetBytes($"{{\"v\":1,\"body\":{body},\"signature\":{signature}}}");
        }).ToArray();
        Run("signature", 1303, seeds, input => Assert.False(ResultSignature.Verify(input, "rdr-fuzz", verifier, Now).IsValid));
    }

    [Fact]
    public void The_privacy_guards_allocation_free_pass_is_never_more_lenient_than_its_described_verdict()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string longText = new('あ', 400);
        byte[][] seeds =
        [
            .. Results().Select(r => ResultSignature.Sign(r, key)),
            .. new[]
            {
                """{"v":1,"name":"山田太郎"}""", """{"v":1,"body":{"birth-Date":"1970-01-01"}}""", """{"v":1,"\u0070in":"1"}""",
                """{"v":1,"detail":"1234 5678 9018"}""", """{"v":1,"detail":"1234-5678-9018"}""", """{"v":1,"detail":"123456789012"}""",
                """{"v":1,"blob":"/9j/4AAQSkZJRgABAQEASABIAAD"}""", """{"v":1,"blob":"iVBORw0KGgo\u0041AAANSUhEUgAA"}""",
                """{"v":1,"checks":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33]}""",
                $$"""{"v":1,"consentTexts":{"ja":"{{longText}}"},"detail":"{{longText}}"}""",
                $$"""{"v":1,"certificate":"{{new string('A', 9000)}}","other":"{{new string('B', 9000)}}"}""",
                $$"""{"v":1,"a":[{"certificate":"x"},"{{new string('C', 9000)}}"]}""",
            }.Select(Encoding.UTF8.GetBytes),
        ];
        Assert.All(seeds.Take(3), s => Assert.True(PrivacyGuard.IsClean(s)));

        int stricter = 0;
        Run(nameof(PrivacyGuard.IsClean), 1501, seeds, input =>
        {
            string? described = PrivacyGuard.Describe(input);
            bool clean = PrivacyGuard.IsClean(input);
            Assert.False(clean && described is not null, $"the fast pass let through what Describe refuses: {described}");
            stricter += !clean && described is null ? 1 : 0;
        });
        output.WriteLine($"{stricter} inputs sent to Describe by the fast pass and found clean there (names over 64 bytes)");
    }

    [Theory]
    [InlineData(CommandName.SetMode)]
    [InlineData(CommandName.CancelSession)]
    [InlineData(CommandName.PushConfig)]
    [InlineData(CommandName.SelfTest)]
    [InlineData(CommandName.RelayApdu)]
    [InlineData(CommandName.StartUpdate)]
    public void Terminal_commands_are_parsed_validated_and_ruled_on_or_refused_with_a_code(CommandName name)
    {
        Run("command " + name, 1400 + (int)name, [Command(name)], input =>
        {
            CommandRequest request;
            try
            {
                request = CommandDispatcher.Parse(name, input);
            }
            catch (ProtocolFormatException e)
            {
                Assert.Matches("^[a-z-]+$", e.Code);
                return;
            }

            if (CommandDispatcher.Validate(request) is not null)
            {
                return;
            }

            // What the dispatcher does next with a valid request's outside strings.
            switch (request)
            {
                case RelayApduRequest relay:
                    _ = ApduRelayPolicy.Check(Convert.FromHexString(relay.Apdu));
                    break;
                case StartUpdateRequest update:
                    _ = new Uri(update.BundleUrl, UriKind.RelativeOrAbsolute);
                    break;
            }
        });
    }

    [Fact]
    public void Relayed_apdus_are_ruled_on_whatever_their_bytes()
    {
        byte[][] seeds =
        [
            Convert.FromHexString("00A4040C0AD392F000260100000001"),
            Convert.FromHexString("00A4020C020017"),
            Convert.FromHexString("80A200C10000057F21020000"),
            Convert.FromHexString("0084000008"),
            Convert.FromHexString("802A008033" + new string('A', 102) + "00"),
            Convert.FromHexString("00B0820000"),
        ];
        Run("apdu", 1502, seeds, input =>
        {
            var reason = ApduRelayPolicy.Check(input);
            Assert.True(reason is null || reason.All(c => c is (>= 'a' and <= 'z') or '-'));

            // Whatever passes is one of the 特定機関認証 headers: never a VERIFY, never a read.
            Assert.True(reason is not null || input[1] is 0xA4 or 0xA2 or 0x84 or 0x82 or 0x2A);
        });
    }

    [Fact]
    public void Result_acknowledgements_parse_or_are_ignored()
    {
        var seeds = new[]
        {
            Json(new ResultAcknowledgement { SessionId = "sess-000001-abcdef12", Status = AckStatus.Accepted, At = Now }, ProtocolJsonContext.Default.ResultAcknowledgement),
            Json(new ResultAcknowledgement { SessionId = "sess-000001-abcdef12", Status = AckStatus.Rejected, Reason = "bad-signature", At = Now }, ProtocolJsonContext.Default.ResultAcknowledgement),
        };
        Run("ack", 1601, seeds, input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.ResultAcknowledgement));
    }

    [Fact]
    public void Pairing_messages_and_grants_parse_or_are_ignored()
    {
        var element = Convert.ToBase64String(RandomNumberGenerator.GetBytes(256));
        byte[][] messages =
        [
            Json(new PairingMessage { Type = PairingMessageType.Hello, Attempt = 1, ReaderId = "rdr-a001", Element = element }, ProtocolJsonContext.Default.PairingMessage),
            Json(new PairingMessage { Type = PairingMessageType.Offer, Attempt = 2, TerminalId = "term-01", Element = element, Confirmation = Convert.ToBase64String(new byte[32]) }, ProtocolJsonContext.Default.PairingMessage),
            Json(new PairingMessage { Type = PairingMessageType.Refused, Attempt = 2, AttemptsLeft = 1, Reason = "wrong-code" }, ProtocolJsonContext.Default.PairingMessage),
            Json(new PairingMessage { Type = PairingMessageType.Grant, Attempt = 3, Sealed = Convert.ToBase64String(new byte[200]) }, ProtocolJsonContext.Default.PairingMessage),
        ];
        Run("pairing message", 1701, messages, input =>
        {
            if (ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.PairingMessage) is { } message)
            {
                _ = ReaderPairing.Base64(message.Element);
                _ = ReaderPairing.Base64(message.Confirmation);
                _ = ReaderPairing.Base64(message.Sealed);
            }
        });

        byte[][] grants = [Json(new PairingGrant { Certificate = "MIIB", CaCertificate = "MIIC", TerminalId = "term-01", BrokerHost = "127.0.0.1", TlsPort = 8883 }, ProtocolJsonContext.Default.PairingGrant)];
        Run("pairing grant", 1702, grants, input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.PairingGrant));
    }

    [Fact]
    public void Card_check_requests_and_answers_parse_and_answers_fall_back_when_bad()
    {
        var challenge = Convert.ToBase64String(new byte[32]);
        byte[][] answers =
        [
            Json(new CardCheckResponse { SessionId = "sess-000001-abcdef12", Registration = CardRegistration.Registered, Challenge = challenge, ChallengeExpiresAt = Now }, ProtocolJsonContext.Default.CardCheckResponse),
            Json(new CardCheckResponse { SessionId = "sess-000001-abcdef12", Registration = CardRegistration.NotRegistered }, ProtocolJsonContext.Default.CardCheckResponse),
        ];
        Run("card check response", 1801, answers, input =>
        {
            if (ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.CardCheckResponse) is { } response)
            {
                var outcome = CardCheckOutcome.FromResponse(response, "sess-000001-abcdef12");
                Assert.InRange(outcome.Challenge.Length, 16, 64);
                Assert.True(Enum.IsDefined(outcome.Registration));
            }
        });

        byte[][] requests = [Json(new CardCheckRequest { ReaderId = "rdr-a001", SessionId = "sess-000001-abcdef12", Certificate = challenge, At = Now }, ProtocolJsonContext.Default.CardCheckRequest)];
        Run("card check request", 1802, requests, input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.CardCheckRequest));
    }

    [Fact]
    public void Statuses_events_and_command_responses_parse_or_are_ignored()
    {
        Run("terminal status", 1901, [Json(new TerminalStatus { TerminalId = "term-01", State = TerminalState.Online, At = Now }, ProtocolJsonContext.Default.TerminalStatus)],
            input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.TerminalStatus));
        Run("reader status", 1902, [Json(new ReaderStatus { ReaderId = "rdr-a001", State = ReaderState.Online, Mode = ReaderMode.Automatic, At = Now }, ProtocolJsonContext.Default.ReaderStatus)],
            input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.ReaderStatus));
        Run("session event", 1903, [Json(SessionEvents.MethodChosen("sess-000001-abcdef12", VerificationMethod.Face) with { ReaderId = "rdr-a001", EventId = "e1", At = Now }, ProtocolJsonContext.Default.SessionEvent)],
            input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.SessionEvent));
        Run("command response", 1904,
            [Json(new CommandResponse { RequestId = "r1", Command = "self-test", Status = CommandStatus.Ok, Checks = [new SelfTestCheck("pcscd", true)], ApduResponse = "9000", At = Now }, ProtocolJsonContext.Default.CommandResponse)],
            input => _ = ProtocolJson.TryDeserialize(input, ProtocolJsonContext.Default.CommandResponse));
    }

    private void Run(string parser, int seed, IReadOnlyList<byte[]> seeds, Action<byte[]> parse)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var random = new Random(seed);
        var count = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = ByteMutator.Next(random, seeds, Messages, maxNoiseLength: 599);
            count++;
            try
            {
                parse(input);
            }
            catch (Exception e)
            {
                Assert.Fail($"{parser}: {e.GetType().Name} ({e.Message}) on input {count} = {Convert.ToHexString(input)}");
            }
        }

        Assert.True(count >= Inputs);
        output.WriteLine($"{parser}: {count} inputs in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static byte[] Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static byte[] Command(CommandName name)
    {
        var at = Now;
        CommandRequest request = name switch
        {
            CommandName.SetMode => new SetModeRequest { RequestId = "r1", IssuedAt = at, Mode = ReaderMode.VisualCheck },
            CommandName.CancelSession => new CancelSessionRequest { RequestId = "r1", IssuedAt = at, SessionId = "sess-000001-abcdef12" },
            CommandName.PushConfig => new PushConfigRequest
            {
                RequestId = "r1",
                IssuedAt = at,
                Configuration = new FacilityConfiguration
                {
                    Version = 3,
                    EPrescription = true,
                    Languages = ["ja", "en"],
                    ConsentItems = [new ConsentItemDefinition { Key = "PharmacistsInfo", Texts = new Dictionary<string, LocalizedConsentText> { ["ja"] = new("薬剤情報", "説明") } }],
                },
            },
            CommandName.SelfTest => new SelfTestRequest { RequestId = "r1", IssuedAt = at },
            CommandName.RelayApdu => new RelayApduRequest { RequestId = "r1", IssuedAt = at, Deadline = at.AddSeconds(5), SessionId = "sess-000001-abcdef12", Apdu = "00A4040C0AD392F000260100000001" },
            _ => new StartUpdateRequest { RequestId = "r1", IssuedAt = at, BundleUrl = "https://updates.example/reader-1.2.3.raucb", Sha256 = new string('a', 64), Version = "1.2.3" },
        };
        return request switch
        {
            SetModeRequest r => Json(r, ProtocolJsonContext.Default.SetModeRequest),
            CancelSessionRequest r => Json(r, ProtocolJsonContext.Default.CancelSessionRequest),
            PushConfigRequest r => Json(r, ProtocolJsonContext.Default.PushConfigRequest),
            SelfTestRequest r => Json(r, ProtocolJsonContext.Default.SelfTestRequest),
            RelayApduRequest r => Json(r, ProtocolJsonContext.Default.RelayApduRequest),
            StartUpdateRequest r => Json(r, ProtocolJsonContext.Default.StartUpdateRequest),
            _ => throw new InvalidOperationException(),
        };
    }

    private static IEnumerable<SessionResult> Results()
    {
        var at = Now;
        var result = new SessionResult
        {
            ReaderId = "rdr-fuzz",
            SessionId = "sess-000001-abcdef12",
            CompletedAt = at,
            ExpiresAt = at.AddMinutes(10),
            Method = VerificationMethod.Face,
            Decision = Decision.Confirmed,
            Certificate = Convert.ToBase64String(new byte[600]),
            Registration = CardRegistration.Registered,
            Consent = new ConsentRecord { Mode = ConsentMode.Individual, Items = [ConsentItem.Create("PharmacistsInfo", true, at)] },
            PrescriptionIssueSelect = 1,
        };
        yield return result with
        {
            Face = new FaceEvidence
            {
                ScoreBand = ScoreBand.High,
                Liveness = LivenessOutcome.Passed,
                CardGenuineness = new CardGenuineness { Check = "card-face-signature+chip-authentication", Verified = true, IssuerKeyId = "5000023/001" },
            },
        };
        yield return result with
        {
            Method = VerificationMethod.Pin,
            PinSignature = new PinEvidence { Challenge = Convert.ToBase64String(new byte[32]), ChallengeSource = ChallengeSource.Terminal, Signature = Convert.ToBase64String(new byte[256]), Algorithm = "RSASSA-PKCS1-v1_5-SHA256" },
        };
        yield return result with { Method = VerificationMethod.Visual, Visual = new VisualEvidence { AuthorisedBy = "term-01", ModeSetAt = at } };
    }
}
