using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Contract;
using Reader.Protocol.Transport;

namespace Reader.Protocol.ReaderSide;

/// <summary>
/// Turns command requests into handler calls and always answers (to the request's Response Topic,
/// echoing its Correlation Data) with an explicit status: too large, malformed, unknown, expired,
/// refused by the relay allow-list, timed out or failed all get their own code, and the reader goes
/// on working. A retried request id gets the cached response instead of a second run.
/// </summary>
internal sealed partial class CommandDispatcher : IDisposable
{
    private const int ConcurrentCommands = 4;
    private const int RememberedResponses = 128;

    private readonly ReaderLink _link;
    private readonly IReaderCommandHandler _handler;
    private readonly ReaderLinkOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(ConcurrentCommands, ConcurrentCommands);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CommandResponse> _responses = new(StringComparer.Ordinal);
    private readonly Queue<string> _responseOrder = new();

    public CommandDispatcher(ReaderLink link, IReaderCommandHandler handler, ReaderLinkOptions options, ILogger logger)
    {
        _link = link;
        _handler = handler;
        _options = options;
        _logger = logger;
    }

    public void Dispose() => _slots.Dispose();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RequestIdPattern();

    /// <summary>A BCP 47 tag of the shape facilities use: language, optional script, optional region (ja, zh-Hans, zh-Hans-CN, ko-KR, es-419); any case.</summary>
    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^([0-9A-Fa-f]{2})+$")]
    private static partial Regex HexPattern();

    public async Task HandleAsync(MqttIncomingMessage message, string commandWire, CancellationToken stop)
    {
        string? responseTopic = message.ResponseTopic;
        if (responseTopic is null
            || !responseTopic.StartsWith(Topics.CommandResponsePrefix(_link.ReaderId), StringComparison.Ordinal)
            || responseTopic.Length == Topics.CommandResponsePrefix(_link.ReaderId).Length
            || responseTopic.Contains('+', StringComparison.Ordinal)
            || responseTopic.Contains('#', StringComparison.Ordinal))
        {
            _logger.LogWarning("Reader link: command {Command} without a usable response topic was dropped", commandWire);
            return;
        }

        CommandResponse response;
        if (!_slots.Wait(0, CancellationToken.None))
        {
            response = Respond(string.Empty, commandWire, CommandStatus.Busy, "too-many-commands");
        }
        else
        {
            try
            {
                response = await ExecuteAsync(message, commandWire, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                _logger.LogError(e, "Reader link: command {Command} failed unexpectedly", commandWire);
                response = Respond(string.Empty, commandWire, CommandStatus.Failed, "internal-error");
            }
            finally
            {
                _slots.Release();
            }
        }

        try
        {
            await _link.PublishCommandResponseAsync(responseTopic, message.CorrelationData, response, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<CommandResponse> ExecuteAsync(MqttIncomingMessage message, string wire, CancellationToken stop)
    {
        if (!CommandNames.TryParse(wire, out CommandName name))
        {
            return Respond(string.Empty, wire, CommandStatus.UnknownCommand, "unknown-command");
        }

        if (message.PayloadTruncated || message.PayloadLength > _options.MaxCommandBytes)
        {
            return Respond(string.Empty, wire, CommandStatus.TooLarge, $"limit-{_options.MaxCommandBytes}-bytes");
        }

        CommandRequest request;
        try
        {
            request = Parse(name, message.Payload.Span);
        }
        catch (ProtocolFormatException e)
        {
            return Respond(string.Empty, wire, CommandStatus.BadRequest, e.Code);
        }

        if (!RequestIdPattern().IsMatch(request.RequestId))
        {
            return Respond(string.Empty, wire, CommandStatus.BadRequest, "bad-request-id");
        }

        lock (_gate)
        {
            if (_responses.TryGetValue(request.RequestId, out CommandResponse? earlier))
            {
                return earlier;
            }
        }

        CommandResponse response;
        if (request.Deadline is { } deadline && deadline <= _link.Now)
        {
            response = Respond(request.RequestId, wire, CommandStatus.Expired, "deadline-passed");
        }
        else if (Validate(request) is { } problem)
        {
            response = Respond(request.RequestId, wire, CommandStatus.BadRequest, problem);
        }
        else
        {
            response = await RunBoundedAsync(request, wire, stop);
        }

        Remember(response);
        return response;
    }

    private async Task<CommandResponse> RunBoundedAsync(CommandRequest request, string wire, CancellationToken stop)
    {
        TimeSpan bound = request is SelfTestRequest ? _options.SelfTestTimeout : _options.CommandTimeout;
        if (request.Deadline is { } deadline && deadline - _link.Now < bound)
        {
            bound = deadline - _link.Now;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(bound);
        try
        {
            Task<CommandResponse> work = RunAsync(request, wire, timeout.Token);
            return await work.WaitAsync(bound, stop);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !stop.IsCancellationRequested))
        {
            return Respond(request.RequestId, wire, CommandStatus.Timeout, $"bound-{bound.TotalMilliseconds:0}-ms");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Reader link: the {Command} handler failed", wire);
            return Respond(request.RequestId, wire, CommandStatus.Failed, "handler-error");
        }
    }

    private async Task<CommandResponse> RunAsync(CommandRequest request, string wire, CancellationToken token)
    {
        switch (request)
        {
            case SetModeRequest setMode:
            {
                CommandOutcome outcome = await _handler.SetModeAsync(setMode.Mode, token);
                if (outcome.Status == CommandStatus.Ok)
                {
                    _link.ApplyMode(setMode.Mode);
                    await _link.PublishStatusAsync(token);
                }

                return Respond(request.RequestId, wire, outcome.Status, outcome.Detail) with { Mode = _link.Mode };
            }

            case CancelSessionRequest cancel:
            {
                CommandOutcome outcome = await _handler.CancelSessionAsync(cancel.SessionId, token);
                return Respond(request.RequestId, wire, outcome.Status, outcome.Detail);
            }

            case PushConfigRequest push:
            {
                if (_link.ConfigurationVersion is { } current && push.Configuration.Version < current)
                {
                    return Respond(request.RequestId, wire, CommandStatus.BadRequest, "stale-version") with { ConfigurationVersion = current };
                }

                CommandOutcome outcome = await _handler.ApplyConfigurationAsync(push.Configuration, token);
                if (outcome.Status == CommandStatus.Ok)
                {
                    _link.ConfigurationVersion = push.Configuration.Version;
                }

                return Respond(request.RequestId, wire, outcome.Status, outcome.Detail) with { ConfigurationVersion = _link.ConfigurationVersion };
            }

            case SelfTestRequest:
            {
                SelfTestOutcome outcome = await _handler.RunSelfTestAsync(token);
                return Respond(request.RequestId, wire, outcome.Status) with { Checks = outcome.Checks };
            }

            case RelayApduRequest relay:
            {
                byte[] apdu = Convert.FromHexString(relay.Apdu);
                if (ApduRelayPolicy.Check(apdu) is { } refusal)
                {
                    return Respond(request.RequestId, wire, CommandStatus.NotAllowed, refusal);
                }

                ApduRelayOutcome outcome = await _handler.RelayApduAsync(relay.SessionId, apdu, token);
                return Respond(request.RequestId, wire, outcome.Status, outcome.Detail) with
                {
                    ApduResponse = outcome.Status == CommandStatus.Ok ? Convert.ToHexString(outcome.ResponseApdu.Span) : null,
                };
            }

            case StartUpdateRequest update:
            {
                CommandOutcome outcome = await _handler.StartUpdateAsync(
                    new UpdateOrder(new Uri(update.BundleUrl, UriKind.RelativeOrAbsolute), update.Sha256.ToLowerInvariant(), update.Version), token);
                return Respond(request.RequestId, wire, outcome.Status, outcome.Detail);
            }

            default:
                return Respond(request.RequestId, wire, CommandStatus.Unsupported);
        }
    }

    internal static CommandRequest Parse(CommandName name, ReadOnlySpan<byte> payload) => name switch
    {
        CommandName.SetMode => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.SetModeRequest),
        CommandName.CancelSession => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.CancelSessionRequest),
        CommandName.PushConfig => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.PushConfigRequest),
        CommandName.SelfTest => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.SelfTestRequest),
        CommandName.RelayApdu => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.RelayApduRequest),
        CommandName.StartUpdate => ProtocolJson.Deserialize(payload, ProtocolJsonContext.Default.StartUpdateRequest),
        _ => throw new ProtocolFormatException("unknown-command", name.ToString()),
    };

    /// <summary>Checks beyond the shape: a short code of the first problem, or null.</summary>
    internal static string? Validate(CommandRequest request)
    {
        switch (request)
        {
            case CancelSessionRequest { SessionId: { } id } when !Outbox.ResultOutbox.SessionIdPattern().IsMatch(id):
                return "bad-session-id";
            case PushConfigRequest { Configuration: var configuration }:
                if (configuration.Version < 1)
                {
                    return "bad-version";
                }

                // Elements of lists and maps may be JSON null even where the type says otherwise (nullability is enforced on members only).
                if (configuration.Languages.Count is 0 or > 8 || configuration.Languages.Any(l => l is null || !LanguagePattern().IsMatch(l)))
                {
                    return "bad-languages";
                }

                if (configuration.ConsentItems.Count > 32
                    || configuration.ConsentItems.Any(i => i is null)
                    || configuration.ConsentItems.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count() != configuration.ConsentItems.Count
                    || configuration.ConsentItems.Any(i => !SessionResultValidator.ConsentKeyPattern().IsMatch(i.Key)))
                {
                    return "bad-consent-items";
                }

                if (configuration.ConsentItems.SelectMany(i => i.Texts).Any(t => !LanguagePattern().IsMatch(t.Key)
                    || t.Value?.Title is not { Length: > 0 and <= 200 } || t.Value.Description is not { Length: <= 4000 }))
                {
                    return "bad-consent-texts";
                }

                if (configuration.VisualCheckAutoReturnSeconds is < 0 or > 86400)
                {
                    return "bad-auto-return";
                }

                return null;
            case RelayApduRequest relay:
                if (!Outbox.ResultOutbox.SessionIdPattern().IsMatch(relay.SessionId))
                {
                    return "bad-session-id";
                }

                return relay.Apdu.Length is < 8 or > 8 * 1024 || !HexPattern().IsMatch(relay.Apdu) ? "bad-apdu" : null;
            case StartUpdateRequest update:
                // https, or a file a technician put into the reader's staging folder (the device checks which).
                if (!Uri.TryCreate(update.BundleUrl, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "file"))
                {
                    return "bad-bundle-url";
                }

                return update.Sha256.Length != 64 || !HexPattern().IsMatch(update.Sha256) ? "bad-sha256" : null;
            default:
                return null;
        }
    }

    private CommandResponse Respond(string requestId, string wire, CommandStatus status, string? detail = null) => new()
    {
        RequestId = requestId,
        Command = wire.Length <= 32 ? wire : wire[..32],
        Status = status,
        Detail = detail,
        At = _link.Now,
    };

    private void Remember(CommandResponse response)
    {
        if (response.Status is CommandStatus.Busy or CommandStatus.Timeout || response.RequestId.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_responses.TryAdd(response.RequestId, response))
            {
                _responseOrder.Enqueue(response.RequestId);
                while (_responseOrder.Count > RememberedResponses)
                {
                    _responses.Remove(_responseOrder.Dequeue());
                }
            }
        }
    }
}
