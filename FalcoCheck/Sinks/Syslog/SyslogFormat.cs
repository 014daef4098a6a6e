namespace FalcoCheck.Sinks.Syslog;

/// <summary>What the MSG part carries: Falco's output line, or the alert's JSON document (Falcosidekick's default).</summary>
internal enum SyslogFormat
{
    Json,
    Text,
}
