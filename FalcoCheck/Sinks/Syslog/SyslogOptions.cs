using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Syslog;

/// <summary>The syslog sink: where to, over what, and the facility every alert is logged under.</summary>
internal sealed record SyslogOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Facility names in code order (RFC 5424 table 1, as rsyslog spells them): the index is the code.</summary>
    public static IReadOnlyList<string> Facilities { get; } =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console",
        "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    /// <summary>The code of a name of <see cref="Facilities"/>; user (1) for anything else.</summary>
    public static int FacilityCode(string? name)
    {
        for (int i = 0; i < Facilities.Count; i++)
        {
            if (string.Equals(Facilities[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 1;
    }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public SyslogTransport Transport { get; init; } = SyslogTransport.Udp;

    public SyslogFormat Format { get; init; } = SyslogFormat.Json;

    /// <summary>Default <c>user</c> (1): where Falco's own <c>syslog_output</c> logs, as it never calls openlog.</summary>
    public int Facility { get; init; } = 1;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Used with <c>tls</c> only.</summary>
    public ClientTlsOptions Tls { get; init; } = new();

    public string Display => $"{Transport.ToString().ToLowerInvariant()}://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}";
}
