namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>Values of mosquitto.h / mqtt_protocol.h that the binding uses.</summary>
internal static class MosquittoConstants
{
    internal const int MOSQ_ERR_SUCCESS = 0;
    internal const int MOSQ_ERR_NOMEM = 1;
    internal const int MOSQ_ERR_PROTOCOL = 2;
    internal const int MOSQ_ERR_INVAL = 3;
    internal const int MOSQ_ERR_NO_CONN = 4;
    internal const int MOSQ_ERR_CONN_REFUSED = 5;
    internal const int MOSQ_ERR_CONN_LOST = 7;
    internal const int MOSQ_ERR_TLS = 8;
    internal const int MOSQ_ERR_PAYLOAD_SIZE = 9;
    internal const int MOSQ_ERR_ERRNO = 14;
    internal const int MOSQ_ERR_KEEPALIVE = 19;
    internal const int MOSQ_ERR_OVERSIZE_PACKET = 25;

    internal const int MOSQ_OPT_PROTOCOL_VERSION = 1;
    internal const int MOSQ_OPT_TCP_NODELAY = 11;
    internal const int MQTT_PROTOCOL_V5 = 5;

    internal const int MQTT_PROP_PAYLOAD_FORMAT_INDICATOR = 1;
    internal const int MQTT_PROP_MESSAGE_EXPIRY_INTERVAL = 2;
    internal const int MQTT_PROP_CONTENT_TYPE = 3;
    internal const int MQTT_PROP_RESPONSE_TOPIC = 8;
    internal const int MQTT_PROP_CORRELATION_DATA = 9;
    internal const int MQTT_PROP_SESSION_EXPIRY_INTERVAL = 17;
    internal const int MQTT_PROP_WILL_DELAY_INTERVAL = 24;
    internal const int MQTT_PROP_USER_PROPERTY = 38;

    internal const int MQTT_RC_NORMAL_DISCONNECTION = 0;
    internal const int MQTT_RC_DISCONNECT_WITH_WILL_MSG = 4;

    /// <summary>SSL_VERIFY_PEER for mosquitto_tls_opts_set.</summary>
    internal const int SSL_VERIFY_PEER = 1;
}
