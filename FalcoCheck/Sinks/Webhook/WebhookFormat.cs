namespace FalcoCheck.Sinks.Webhook;

/// <summary>What a webhook request carries: the alert document, or a chat service's incoming-webhook payload.</summary>
internal enum WebhookFormat : byte
{
    /// <summary>The normalized alert document, as the file sink writes it.</summary>
    Json,

    /// <summary>Slack's incoming webhook: <c>text</c> and one attachment coloured by priority.</summary>
    Slack,

    /// <summary>Mattermost's incoming webhook, which takes Slack's payload.</summary>
    Mattermost,

    /// <summary>Microsoft Teams' incoming webhook: a MessageCard with the priority's colour.</summary>
    Teams,
}
