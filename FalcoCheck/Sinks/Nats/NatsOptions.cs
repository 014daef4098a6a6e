using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Nats;

/// <summary>The NATS sink: the server, the subject template, credentials and TLS.</summary>
internal sealed record NatsOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Falcosidekick's default (<c>nats.subjecttemplate</c>): priority and rule slug.</summary>
    public const string DefaultSubject = "falco.<priority>.<rule>";

    /// <summary><c>nats://host:4222</c> or <c>tls://host:4222</c>.</summary>
    public required Uri Url { get; init; }

    public string Subject { get; init; } = DefaultSubject;

    public string? Username { get; init; }

    public Secret? Password { get; init; }

    public Secret? Token { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Used with <c>tls</c> only.</summary>
    public ClientTlsOptions Tls { get; init; } = new();
}
