using System.Text.Json.Serialization;
using Reader.Protocol.TerminalSide;

namespace Reader.Protocol.Contract;

/// <summary>
/// Source-generated JSON for every message of the contract (no reflection, AOT-safe). camelCase
/// fields, kebab-case enum values, nulls omitted; required members and non-nullable fields are
/// enforced when reading; unknown fields are ignored (minor versions only add optional fields).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 16)]
[JsonSerializable(typeof(ReaderStatus))]
[JsonSerializable(typeof(ReaderInfo))]
[JsonSerializable(typeof(TerminalStatus))]
[JsonSerializable(typeof(SessionEvent))]
[JsonSerializable(typeof(SessionResult))]
[JsonSerializable(typeof(ResultAcknowledgement))]
[JsonSerializable(typeof(CardCheckRequest))]
[JsonSerializable(typeof(CardCheckResponse))]
[JsonSerializable(typeof(SetModeRequest))]
[JsonSerializable(typeof(CancelSessionRequest))]
[JsonSerializable(typeof(PushConfigRequest))]
[JsonSerializable(typeof(SelfTestRequest))]
[JsonSerializable(typeof(RelayApduRequest))]
[JsonSerializable(typeof(StartUpdateRequest))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(FacilityConfiguration))]
[JsonSerializable(typeof(TerminalProfile))]
[JsonSerializable(typeof(Identity.PairingRecord))]
[JsonSerializable(typeof(Pairing.PairingMessage))]
[JsonSerializable(typeof(Pairing.PairingGrant))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
