using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Reader.Protocol.Transport;

/// <summary>Our message records to and from MQTTnet's application messages, with the MQTT 5 properties the contract uses.</summary>
internal static class MqttNetMessages
{
    public static MqttApplicationMessage ToApplicationMessage(MqttOutgoingMessage message)
    {
        MqttApplicationMessageBuilder builder = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayloadSegment(message.Payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)message.Qos)
            .WithRetainFlag(message.Retain);
        if (message.ContentType is { } contentType)
        {
            builder.WithContentType(contentType).WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        }

        if (message.MessageExpirySeconds is { } expiry)
        {
            builder.WithMessageExpiryInterval(expiry);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            builder.WithResponseTopic(responseTopic);
        }

        if (message.CorrelationData is { } correlation)
        {
            builder.WithCorrelationData(correlation.ToArray());
        }

        foreach (KeyValuePair<string, string> pair in message.UserProperties)
        {
            builder.WithUserProperty(pair.Key, Encoding.UTF8.GetBytes(pair.Value).AsMemory());
        }

        return builder.Build();
    }

    /// <summary>A copy of what arrived; a payload above <paramref name="payloadLimit"/> is left out and marked truncated.</summary>
    public static MqttIncomingMessage FromApplicationMessage(MqttApplicationMessage message, int payloadLimit)
    {
        long length = message.Payload.Length;
        bool truncated = length > payloadLimit;
        byte[] payload = truncated || length == 0 ? [] : message.Payload.ToArray();
        return new MqttIncomingMessage(message.Topic, payload)
        {
            ReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp(),
            Retain = message.Retain,
            PayloadLength = (int)Math.Min(length, int.MaxValue),
            PayloadTruncated = truncated,
            ContentType = message.ContentType,
            ResponseTopic = message.ResponseTopic,
            CorrelationData = message.CorrelationData is { } correlation ? correlation.ToArray() : null,
            MessageExpirySeconds = message.MessageExpiryInterval == 0 ? null : message.MessageExpiryInterval,
            UserProperties = UserPropertiesOf(message.UserProperties),
        };
    }

    private static List<KeyValuePair<string, string>> UserPropertiesOf(List<MqttUserProperty>? properties) =>
        properties is null or { Count: 0 } ? [] : properties.Select(p => new KeyValuePair<string, string>(p.Name, p.ReadValueAsString())).ToList();
}
