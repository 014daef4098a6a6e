using FalcoCheck.Sinks.Webhook;

namespace FalcoCheck.Configuration;

/// <summary>POSTs each alert to a URL: the alert document, or a Slack, Mattermost or Teams payload.</summary>
internal sealed record WebhookSinkConfig(SourcePosition Position, WebhookOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "webhook";
}
