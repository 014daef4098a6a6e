using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Webhook;

/// <summary>
/// One alert document ─► one webhook body: the document itself (<see cref="WebhookFormat.Json"/>) or a chat
/// payload: Slack's <c>{"text", "attachments": [{"color", "fields", …}]}</c>
/// (https://api.slack.com/reference/messaging/attachments), which Mattermost also takes, or a Teams MessageCard
/// (https://learn.microsoft.com/outlook/actionable-messages/message-card-reference), from the document read back
/// as every alert sink reads it (<see cref="AlertDocument"/>). Alert text is shown as text, never read as markup
/// (<see cref="ChatText"/>; Teams through its section's <c>markdown: false</c>). No I/O.
/// </summary>
internal static class WebhookEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The priority's colour, Falcosidekick's palette (outputs/client.go), so a channel looks as it did: red for
    /// Emergency down to pale blue for Debug.
    /// </summary>
    public static string Colour(FalcoPriority priority) => priority switch
    {
        FalcoPriority.Emergency => "#e20b0b",
        FalcoPriority.Alert => "#ff5400",
        FalcoPriority.Critical => "#ff9000",
        FalcoPriority.Error => "#ffc700",
        FalcoPriority.Warning => "#ffff00",
        FalcoPriority.Notice => "#5bffb5",
        FalcoPriority.Informational => "#68c2ff",
        _ => "#ccfff2",
    };

    /// <summary>Writes the body; null, or why nothing was written: the document is not an alert (a spool edited by hand).</summary>
    public static string? Encode(byte[] document, WebhookFormat format, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        if (format == WebhookFormat.Json)
        {
            output.Write(document);
            return null;
        }

        if (AlertDocument.Parse(document, out string? error) is not { } alert)
        {
            return "a queued alert cannot be read: " + error;
        }

        using var json = new Utf8JsonWriter(output, WriterOptions);
        if (format == WebhookFormat.Teams)
        {
            WriteTeams(json, alert);
        }
        else
        {
            WriteSlack(json, alert, format == WebhookFormat.Mattermost ? ChatText.Mattermost : ChatText.Slack);
        }

        return null;
    }

    private static void WriteSlack(Utf8JsonWriter json, AlertDocument alert, Func<string, string> inert)
    {
        string output = inert(Output(alert));
        json.WriteStartObject();
        json.WriteString("text", output);
        json.WriteStartArray("attachments");
        json.WriteStartObject();
        json.WriteString("fallback", output);
        json.WriteString("color", Colour(alert.Priority));
        json.WriteStartArray("fields");
        foreach ((string title, string? value) in Facts(alert))
        {
            if (value is not null)
            {
                json.WriteStartObject();
                json.WriteString("title", title);
                json.WriteString("value", inert(value));
                json.WriteBoolean("short", true);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteString("footer", "FalcoCheck");
        // Slack's ts is Unix seconds; the document's time is kept in nanoseconds.
        json.WriteNumber("ts", alert.TimestampNanos / 1_000_000_000);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTeams(Utf8JsonWriter json, AlertDocument alert)
    {
        json.WriteStartObject();
        json.WriteString("@type", "MessageCard");
        json.WriteString("@context", "https://schema.org/extensions");
        json.WriteString("summary", alert.Rule);
        json.WriteString("themeColor", Colour(alert.Priority)[1..]);
        // The card's title is markdown whatever the sections say: fixed text there, the rule and the output in the
        // section, whose markdown switch covers its title, text and facts, so they show as Falco wrote them.
        json.WriteString("title", "Falco alert");
        json.WriteStartArray("sections");
        json.WriteStartObject();
        json.WriteString("activityTitle", alert.Rule);
        json.WriteString("text", Output(alert));
        json.WriteBoolean("markdown", false);
        json.WriteStartArray("facts");
        foreach ((string title, string? value) in Facts(alert))
        {
            if (value is not null)
            {
                json.WriteStartObject();
                json.WriteString("name", title);
                json.WriteString("value", value);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Output(AlertDocument alert) => alert.Message.Length > 0 ? alert.Message : alert.Rule;

    /// <summary>The facts a chat card shows; an empty one is left out.</summary>
    private static (string, string?)[] Facts(AlertDocument alert) =>
    [
        ("rule", alert.Rule),
        ("priority", AlertPriorities.TagValue(alert.Priority)),
        ("source", string.IsNullOrEmpty(alert.Source) ? null : alert.Source),
        ("hostname", alert.Hostname.Length > 0 ? alert.Hostname : null),
        ("tags", Tags(alert)),
    ];

    private static string? Tags(AlertDocument alert)
    {
        if (alert.Tags is not { Count: > 0 } tags)
        {
            return null;
        }

        var names = new List<string>(tags.Count);
        foreach (string tag in tags)
        {
            if (tag.Length > 0)
            {
                names.Add(tag);
            }
        }

        return names.Count == 0 ? null : string.Join(", ", names);
    }
}
