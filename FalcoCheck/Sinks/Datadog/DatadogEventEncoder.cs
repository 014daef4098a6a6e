using System.Buffers;
using System.Text.Json;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// The body of <c>POST /api/v1/events</c>, pure:
/// <code>{"title":"rules file falco_rules.yaml changed on host node-1","text":"…","date_happened":1747146400,"host":"node-1","alert_type":"warning","source_type_name":"falco","aggregation_key":"falco.rules.file.changed","tags":["file_name:…"]}</code>
/// </summary>
internal static class DatadogEventEncoder
{
    /// <summary>Datadog's event text limit (4000 characters, events API v1); longer text is cut, never refused.</summary>
    public const int MaxTextLength = 4000;

    public static void Write(FalcoEvent falcoEvent, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("title"u8, falcoEvent.Title);
        json.WriteString("text"u8, falcoEvent.Text.Length > MaxTextLength ? falcoEvent.Text[..MaxTextLength] : falcoEvent.Text);
        json.WriteNumber("date_happened"u8, falcoEvent.Timestamp);
        json.WriteString("host"u8, falcoEvent.Host);
        json.WriteString("alert_type"u8, falcoEvent.AlertType);
        json.WriteString("source_type_name"u8, "falco");
        json.WriteString("aggregation_key"u8, falcoEvent.Name);
        json.WriteStartArray("tags"u8);
        foreach (var tag in DatadogTags.Normalize(falcoEvent.Tags))
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
