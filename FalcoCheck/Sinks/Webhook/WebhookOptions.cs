using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Webhook;

/// <summary>
/// The webhook sink. The URL is a secret as a whole: Slack, Teams and Mattermost put the token in its path, so
/// only its scheme and host are ever shown (<see cref="DisplayName"/>).
/// </summary>
internal sealed record WebhookOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The URL (inside, a secret), headers, auth and TLS; <see cref="HttpEndpointOptions.DisplayName"/> is scheme and host only.</summary>
    public required HttpEndpointOptions Endpoint { get; init; }

    public WebhookFormat Format { get; init; } = WebhookFormat.Json;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Scheme, host and port: what may be printed of a webhook URL.</summary>
    public static string DisplayName(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
    }

    /// <summary>The record's <c>ToString</c>: the endpoint by its display name only, never the URL with its token.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Endpoint = ").Append(Endpoint.DisplayName).Append(", Format = ").Append(Format).Append(", Timeout = ").Append(Timeout);
        return true;
    }
}
