using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Reader.Protocol.Transport;

/// <summary>Turns our <see cref="MqttTransportOptions"/> into MQTTnet's client options (built once per transport).</summary>
internal static class MqttNetClientOptions
{
    public static MqttClientOptions Build(MqttTransportOptions options)
    {
        MqttBrokerOptions broker = options.Broker;
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(options.ClientId)
            .WithTcpServer(broker.Host, broker.Port)
            .WithCleanStart(options.CleanStart)
            .WithSessionExpiryInterval(options.SessionExpirySeconds)
            .WithKeepAlivePeriod(broker.KeepAlive)
            // Bounds MQTTnet's own waits (a keep-alive ping, a DISCONNECT); publishes carry the caller's token.
            .WithTimeout(broker.ConnectTimeout);

        if (broker.UsesTls)
        {
            builder.WithTlsOptions(tls => tls
                .UseTls()
                // The clinic CA is the only root the broker's certificate may chain to; the host name is checked too.
                .WithTrustChain(LoadCertificates(broker.CaFile!))
                // The clinic CA's CRL is enforced by the broker on clients; its own certificate has no online CRL.
                .WithRevocationMode(X509RevocationMode.NoCheck)
                .WithClientCertificatesProvider(new PemClientCertificate(broker.CertificateFile, broker.KeyFile)));
        }

        if (options.Will is { } will)
        {
            builder
                .WithWillTopic(will.Topic)
                .WithWillPayload(will.Payload.ToArray())
                .WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)will.Qos)
                .WithWillRetain(will.Retain)
                .WithWillDelayInterval(options.WillDelaySeconds);
            if (will.ContentType is { } contentType)
            {
                builder.WithWillContentType(contentType).WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
            }

            if (will.MessageExpirySeconds is { } expiry)
            {
                builder.WithWillMessageExpiryInterval(expiry);
            }

            foreach (KeyValuePair<string, string> pair in will.UserProperties)
            {
                builder.WithWillUserProperty(pair.Key, Encoding.UTF8.GetBytes(pair.Value).AsMemory());
            }
        }

        return builder.Build();
    }

    private static X509Certificate2Collection LoadCertificates(string pemFile)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemFile);
        return certificates;
    }

    /// <summary>
    /// The client certificate and key, read from their PEM files at every connect, so a reader paired
    /// again (new certificate) connects with it without a restart. No files: no client certificate.
    /// </summary>
    private sealed class PemClientCertificate(string? certificateFile, string? keyFile) : IMqttClientCertificatesProvider
    {
        public X509CertificateCollection? GetCertificates()
        {
            if (certificateFile is null || keyFile is null)
            {
                return null;
            }

            // On Linux SslStream presents a certificate with an ephemeral (PEM-loaded) key as it is.
            return [X509Certificate2.CreateFromPemFile(certificateFile, keyFile)];
        }
    }
}
