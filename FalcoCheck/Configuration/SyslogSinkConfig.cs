using FalcoCheck.Sinks.Syslog;

namespace FalcoCheck.Configuration;

/// <summary>Sends alerts to a syslog receiver (RFC 5424 over UDP, TCP or TLS); see <see cref="SyslogOptions"/>.</summary>
internal sealed record SyslogSinkConfig(SourcePosition Position, SyslogOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "syslog";
}
