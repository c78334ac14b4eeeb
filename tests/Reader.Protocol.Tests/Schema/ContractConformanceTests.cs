using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Signing;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Tests.Infrastructure;
using Reader.Protocol.Transport;
using Reader.SimulatedReader;
using Xunit.Abstractions;

namespace Reader.Protocol.Tests.Schema;

/// <summary>
/// Every message the code emits, captured off a real broker by a wiretap, validates against the JSON
/// Schemas and passes the privacy guard; every schema is exercised; the AsyncAPI document points at
/// exactly the schema files.
/// </summary>
public sealed partial class ContractConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonSchemaValidator Validator = new(Path.Combine(JsonSchemaValidator.ContractDirectory, "schemas"));

    [Fact]
    public async Task Every_emitted_message_validates_against_its_schema_and_carries_no_personal_data()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await using var wiretap = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-tap", Broker = await broker.WiretapOptionsAsync() });
        await wiretap.ConnectOnceAsync(CancellationToken.None);
        await wiretap.SubscribeAsync([new MqttSubscription("cr/v1/#")], CancellationToken.None);

        // Pairing, with one wrong code first (hello, offer, refused, accept, grant, done).
        string readerData = Path.Combine(broker.Root, "reader");
        var shown = new TaskCompletionSource<PairingCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<PairingRecord> pairing = ReaderPairing.PairAsync(
            new ReaderPairingOptions { DataDirectory = readerData, BrokerHost = "localhost", PairingPort = broker.PairingPort, ReaderId = "rdr-c001", Throttle = new PairingThrottleOptions { FirstBackOff = TimeSpan.FromMilliseconds(100) } },
            code =>
            {
                shown.SetResult(code);
                return Task.CompletedTask;
            },
            null,
            CancellationToken.None);
        PairingCode real = await shown.Task.WaitAsync(Rig.Wait);
        var terminalPairing = new TerminalPairingOptions { Profile = broker.Profile, DataDirectory = Path.Combine(broker.Root, "terminal-data") };
        await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(terminalPairing, real.Code == "000000" ? "000001" : "000000", "rdr-c001", null, CancellationToken.None));
        await TerminalPairing.PairAsync(terminalPairing, real.Code, "rdr-c001", null, CancellationToken.None);
        await pairing.WaitAsync(Rig.Wait);
        var identity = new ReaderIdentityStore(readerData);

        var handler = new RecordingCommandHandler();
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with
        {
            AutoAcknowledge = true,
            CardCheckHandler = (request, _) => Task.FromResult(TerminalClient.DefaultCardCheck(request) with { Registration = CardRegistration.Registered }),
        });
        await using (ReaderLink reader = await Rig.StartReaderAsync(identity, handler))
        {
            string session = "sess-conform-01";
            await reader.SetSessionActiveAsync(true, CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.CardPlaced(session, CardKind.MyNumber), CancellationToken.None);
            CardCheckOutcome check = await reader.CheckCardAsync(session, SimulatedResults.CardCertificate(), CancellationToken.None);
            Assert.True(check.TerminalAnswered);
            await reader.PublishEventAsync(SessionEvents.MethodChosen(session, VerificationMethod.Pin), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.VerificationResult(session, VerificationMethod.Pin, VerificationOutcome.Failed, ReasonCodes.PinWrong), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.VerificationResult(session, VerificationMethod.Pin, VerificationOutcome.Passed), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.ConsentResult(session, ConsentMode.Individual, [new ConsentChoice("PharmacistsInfo", true), new ConsentChoice("SpecificHealthCheckupsInfo", false)]), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.PrescriptionFormChosen(session, PrescriptionForm.Paper), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.CardRemoved(session), CancellationToken.None);
            await reader.PublishEventAsync(SessionEvents.SessionAborted("sess-conform-02", ReasonCodes.PatientCancelled), CancellationToken.None);

            await reader.SubmitResultAsync(reader.NewResult(session, VerificationMethod.Pin, Decision.Confirmed) with
            {
                Certificate = Convert.ToBase64String(SimulatedResults.CardCertificate()),
                Registration = CardRegistration.Registered,
                PinSignature = new PinEvidence
                {
                    Challenge = Convert.ToBase64String(check.Challenge.Span),
                    ChallengeSource = check.ChallengeSource,
                    Signature = Convert.ToBase64String(new byte[256]),
                    Algorithm = "RSASSA-PKCS1-v1_5-SHA256",
                },
                PrescriptionIssueSelect = 2,
            }, CancellationToken.None);
            await reader.SubmitResultAsync(SimulatedResults.Face(reader, "sess-conform-03", ConsentMode.Individual), CancellationToken.None);
            await reader.SubmitResultAsync(reader.NewResult("sess-conform-04", VerificationMethod.Face, Decision.Rejected), CancellationToken.None);
            await reader.SetSessionActiveAsync(false, CancellationToken.None);

            await terminal.SetModeAsync("rdr-c001", ReaderMode.VisualCheck, CancellationToken.None);
            await reader.SubmitResultAsync(reader.NewResult("sess-conform-05", VerificationMethod.Visual, Decision.Confirmed) with
            {
                Certificate = Convert.ToBase64String(SimulatedResults.CardCertificate()),
            }, CancellationToken.None);
            await terminal.SetModeAsync("rdr-c001", ReaderMode.Maintenance, CancellationToken.None);
            await terminal.CancelSessionAsync("rdr-c001", "sess-other-01", CancellationToken.None);
            await terminal.CancelSessionAsync("rdr-c001", null, CancellationToken.None);
            var configuration = new FacilityConfiguration
            {
                Version = 2,
                EPrescription = true,
                Languages = ["ja", "en"],
                ConsentItems = [new ConsentItemDefinition { Key = "PharmacistsInfo", Texts = new Dictionary<string, LocalizedConsentText> { ["ja"] = new("薬剤情報", "説明") } }],
            };
            await terminal.PushConfigurationAsync("rdr-c001", configuration, CancellationToken.None);
            await terminal.PushConfigurationAsync("rdr-c001", configuration with { Version = 1 }, CancellationToken.None);
            await terminal.RunSelfTestAsync("rdr-c001", CancellationToken.None);
            await terminal.RelayApduAsync("rdr-c001", session, Convert.FromHexString("00A4040C0AD392F000260100000001"), CancellationToken.None);
            await terminal.RelayApduAsync("rdr-c001", session, Convert.FromHexString("002000800431323334"), CancellationToken.None);
            await terminal.StartUpdateAsync("rdr-c001", new Uri("https://terminal.local/b.raucb"), new string('0', 64), "1.1.0", CancellationToken.None);

            // A forged result earns a "rejected" acknowledgement.
            using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            await using (var forger = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01-op", Broker = broker.TerminalOptions(operatorIdentity: true) }))
            {
                await forger.ConnectOnceAsync(CancellationToken.None);
                await forger.PublishAsync(new MqttOutgoingMessage(Topics.Result("rdr-c001"), ResultSignature.Sign(SimulatedResults.Face(reader, "sess-forged-01", ConsentMode.Individual), otherKey)), CancellationToken.None);
            }

            await Eventually.TrueAsync(() => reader.PendingResults == 0, Rig.Wait, "every result acknowledged");
            await Task.Delay(500);
        }

        // The Will: a simulated reader process killed outright.
        ReaderIdentityStore crashing = broker.ProvisionReader("rdr-k009");
        await using (SimulatedReaderProcess process = SimulatedReaderProcess.Start("--reader-data", crashing.DataDirectory, "--sessions", "0", "--stay", "--will-delay", "1"))
        {
            await Eventually.TrueAsync(() => process.Count("connected") == 1, TimeSpan.FromSeconds(30), "the simulated reader to connect");
            await process.KillAsync();
        }

        await Task.Delay(3000);
        var captured = new List<MqttIncomingMessage>();
        while (wiretap.Messages.TryRead(out MqttIncomingMessage? message))
        {
            captured.Add(message);
        }

        var perSchema = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (MqttIncomingMessage message in captured.Where(m => m.Payload.Length > 0 && !IsForgedInput(m)))
        {
            string schema = SchemaFor(message.Topic);
            IReadOnlyList<string> errors = Validator.Validate(schema, message.Payload.Span);
            Assert.True(errors.Count == 0, $"{message.Topic} ({schema}): {string.Join("; ", errors)}\n{Encoding.UTF8.GetString(message.Payload.Span)}");
            Assert.Null(PrivacyGuard.FindViolation(message.Payload.Span));
            perSchema[schema] = perSchema.GetValueOrDefault(schema) + 1;
        }

        foreach ((string schema, int count) in perSchema.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,4}  {schema}");
        }

        string[] exercised = [.. Validator.SchemaFiles.Where(f => f is not ("common.schema.json" or "result.schema.json"))];
        Assert.All(exercised, schema => Assert.True(perSchema.ContainsKey(schema), $"no emitted message exercised {schema}"));

        string[] states = [.. captured.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal) && m.Payload.Length > 0)
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("state").GetString()!)];
        Assert.Superset(new HashSet<string> { "online", "busy", "visual-check", "maintenance", "offline" }, states.ToHashSet());
        Assert.Contains(captured, m => Encoding.UTF8.GetString(m.Payload.Span).Contains("\"reason\":\"connection-lost\"", StringComparison.Ordinal));
        Assert.Contains(captured, m => Encoding.UTF8.GetString(m.Payload.Span).Contains("\"reason\":\"shutdown\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_AsyncAPI_document_references_exactly_the_schema_files_and_the_code_topics()
    {
        string document = File.ReadAllText(Path.Combine(JsonSchemaValidator.ContractDirectory, "asyncapi.yaml"));
        var referenced = SchemaReference().Matches(document).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var files = Validator.SchemaFiles.Where(f => f is not ("common.schema.json" or "result.schema.json")).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(files.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));

        foreach (string address in new[]
        {
            Topics.Status("{readerId}"), Topics.Info("{readerId}"), Topics.Events("{readerId}"), Topics.Result("{readerId}"),
            Topics.ResultAck("{readerId}"), Topics.CardCheckRequest("{readerId}"), Topics.CardCheckResponse("{readerId}"),
            Topics.ReaderRoot("{readerId}") + "/cmd/{command}", Topics.CommandResponsePrefix("{readerId}") + "{requester}",
            Topics.TerminalStatus("{terminalId}"), Topics.PairingUp("{clientId}"), Topics.PairingDown("{clientId}"),
        })
        {
            Assert.Contains($"address: '{address}'", document, StringComparison.Ordinal);
        }

        foreach (string contentType in new[]
        {
            ContentTypes.Status, ContentTypes.Info, ContentTypes.Event, ContentTypes.Result, ContentTypes.ResultAck, ContentTypes.Command,
            ContentTypes.CommandResponse, ContentTypes.CardCheck, ContentTypes.TerminalStatus, ContentTypes.Pairing,
        })
        {
            Assert.Contains("contentType: " + contentType, document, StringComparison.Ordinal);
        }
    }

    private static bool IsForgedInput(MqttIncomingMessage message) =>
        message.Topic.EndsWith("/result", StringComparison.Ordinal) && Encoding.UTF8.GetString(message.Payload.Span).Contains("sess-forged-01", StringComparison.Ordinal);

    private static string SchemaFor(string topic)
    {
        string[] parts = topic.Split('/');
        return (parts[2], parts.Length > 4 ? parts[4] : null, parts.Length > 5 ? parts[5] : null) switch
        {
            ("dev", "status", _) => "status.schema.json",
            ("dev", "info", _) => "info.schema.json",
            ("dev", "evt", _) => "event.schema.json",
            ("dev", "result", _) => "result-envelope.schema.json",
            ("dev", "result-ack", _) => "result-ack.schema.json",
            ("dev", "req", "card-check") => "card-check-request.schema.json",
            ("dev", "req-res", _) => "card-check-response.schema.json",
            ("dev", "cmd", string command) => $"command-{command}.schema.json",
            ("dev", "cmd-res", _) => "command-response.schema.json",
            ("term", _, _) => "terminal-status.schema.json",
            ("pair", _, _) => "pairing-message.schema.json",
            _ => throw new InvalidOperationException("unexpected topic " + topic),
        };
    }

    [GeneratedRegex(@"\$ref: '\./schemas/([a-z-]+\.schema\.json)'")]
    private static partial Regex SchemaReference();
}
