namespace FalcoCheck.Sinks.Syslog;

/// <summary>How syslog messages travel: RFC 5426 (UDP), RFC 6587 octet counting (TCP), RFC 5425 (TLS).</summary>
internal enum SyslogTransport
{
    Udp,
    Tcp,
    Tls,
}
