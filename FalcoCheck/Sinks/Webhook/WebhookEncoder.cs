using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using FalcoCheck.Alerts;

namespace FalcoCheck.Sinks.Webhook;

/// <summary>
/// One alert document ─► one webhook body: the document itself (<see cref="WebhookFormat.Json"/>) or a chat
/// payload: Slack's <c>{"text", "attachments": [{"color", "fields", …}]}</c>
/// (https://api.slack.com/reference/messaging/attachments), which Mattermost also takes, or a Teams MessageCard
/// (https://learn.microsoft.com/outlook/actionable-messages/message-card-reference). No I/O.
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

    public static void Encode(byte[] document, WebhookFormat format, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        if (format == WebhookFormat.Json)
        {
            output.Write(document);
            return;
        }

        using var parsed = JsonDocument.Parse(document);
        JsonElement doc = parsed.RootElement;
        using var json = new Utf8JsonWriter(output, WriterOptions);
        if (format == WebhookFormat.Teams)
        {
            WriteTeams(json, doc);
        }
        else
        {
            WriteSlack(json, doc);
        }
    }

    private static void WriteSlack(Utf8JsonWriter json, JsonElement doc)
    {
        string rule = Text(doc, "rule") ?? "Falco alert";
        string output = Text(doc, "output") ?? Text(doc, "message") ?? rule;
        FalcoPriority priority = Priority(doc);
        json.WriteStartObject();
        json.WriteString("text", output);
        json.WriteStartArray("attachments");
        json.WriteStartObject();
        json.WriteString("fallback", output);
        json.WriteString("color", Colour(priority));
        json.WriteStartArray("fields");
        foreach ((string title, string? value) in Facts(doc, rule, priority))
        {
            if (value is not null)
            {
                json.WriteStartObject();
                json.WriteString("title", title);
                json.WriteString("value", value);
                json.WriteBoolean("short", true);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteString("footer", "FalcoCheck");
        if (doc.TryGetProperty("timestamp", out JsonElement ms) && ms.TryGetInt64(out long millis))
        {
            json.WriteNumber("ts", millis / 1000);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTeams(Utf8JsonWriter json, JsonElement doc)
    {
        string rule = Text(doc, "rule") ?? "Falco alert";
        string output = Text(doc, "output") ?? Text(doc, "message") ?? rule;
        FalcoPriority priority = Priority(doc);
        json.WriteStartObject();
        json.WriteString("@type", "MessageCard");
        json.WriteString("@context", "https://schema.org/extensions");
        json.WriteString("summary", rule);
        json.WriteString("themeColor", Colour(priority)[1..]);
        json.WriteString("title", rule);
        json.WriteString("text", output);
        json.WriteStartArray("sections");
        json.WriteStartObject();
        json.WriteStartArray("facts");
        foreach ((string title, string? value) in Facts(doc, rule, priority))
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

    private static (string, string?)[] Facts(JsonElement doc, string rule, FalcoPriority priority) =>
    [
        ("rule", rule),
        ("priority", AlertPriorities.TagValue(priority)),
        ("source", Text(doc, "source")),
        ("hostname", Text(doc, "hostname")),
        ("tags", Tags(doc)),
    ];

    private static FalcoPriority Priority(JsonElement doc) =>
        AlertPriorities.TryParse(Text(doc, "priority"), out FalcoPriority priority) ? priority : FalcoPriority.Debug;

    private static string? Tags(JsonElement doc)
    {
        if (!doc.TryGetProperty("tags", out JsonElement tags) || tags.ValueKind != JsonValueKind.Array || tags.GetArrayLength() == 0)
        {
            return null;
        }

        var names = new List<string>(tags.GetArrayLength());
        foreach (JsonElement tag in tags.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { Length: > 0 } name)
            {
                names.Add(name);
            }
        }

        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static string? Text(JsonElement doc, string name) =>
        doc.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
