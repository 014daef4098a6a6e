using System.Buffers;
using System.Text.Json;
using FalcoCheck.Mapping;

namespace FalcoCheck.Sinks;

/// <summary>
/// The documented JSON-lines contract of the console (--json) and file sinks: one object per series or service
/// check, one per line.
/// <code>
/// {"metric":"falco.rules.matches.count","type":"count","value":3,"interval":15,"timestamp":1747146400,"host":"node-1","tags":["rule_name:…"]}
/// {"check":"falco.openmetrics.health","status":"ok","message":"","timestamp":1747146400,"host":"node-1","tags":["endpoint:…"]}
/// {"event":"falco.rules.file.changed","title":"…","text":"…","alert_type":"warning","timestamp":1747146400,"host":"node-1","tags":["file_name:…"]}
/// </code>
/// </summary>
internal static class JsonLinesEncoder
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    // Names and fixed values encoded once: a daemon writes every name of every line each scrape, and a string name is
    // transcoded and checked for escaping on each write.
    private static readonly JsonEncodedText MetricProperty = JsonEncodedText.Encode("metric");
    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText ValueProperty = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText IntervalProperty = JsonEncodedText.Encode("interval");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText HostProperty = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText TagsProperty = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText CheckProperty = JsonEncodedText.Encode("check");
    private static readonly JsonEncodedText StatusProperty = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MessageProperty = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText CountType = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText GaugeType = JsonEncodedText.Encode("gauge");

    public static void Write(Submission submission, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, Options);
        foreach (var point in submission.Metrics)
        {
            WriteMetric(json, point);
            json.Flush();
            json.Reset();
            output.Write("\n"u8);
        }

        foreach (var check in submission.ServiceChecks)
        {
            WriteServiceCheck(json, check);
            json.Flush();
            json.Reset();
            output.Write("\n"u8);
        }

        foreach (var falcoEvent in submission.Events)
        {
            WriteEvent(json, falcoEvent);
            json.Flush();
            json.Reset();
            output.Write("\n"u8);
        }
    }

    private static void WriteEvent(Utf8JsonWriter json, FalcoEvent falcoEvent)
    {
        json.WriteStartObject();
        json.WriteString("event", falcoEvent.Name);
        json.WriteString("title", falcoEvent.Title);
        json.WriteString("text", falcoEvent.Text);
        json.WriteString("alert_type", falcoEvent.AlertType);
        json.WriteNumber(TimestampProperty, falcoEvent.Timestamp);
        json.WriteString(HostProperty, falcoEvent.Host);
        WriteTags(json, falcoEvent.Tags);
        json.WriteEndObject();
    }

    public static string StatusName(ServiceCheckStatus status) => status switch
    {
        ServiceCheckStatus.Ok => "ok",
        ServiceCheckStatus.Warning => "warning",
        ServiceCheckStatus.Critical => "critical",
        _ => "unknown",
    };

    private static void WriteMetric(Utf8JsonWriter json, in MetricPoint point)
    {
        json.WriteStartObject();
        json.WriteString(MetricProperty, point.Name);
        json.WriteString(TypeProperty, point.Kind == MetricKind.MonotonicCount ? CountType : GaugeType);
        json.WriteNumber(ValueProperty, point.Value);
        if (point.Kind == MetricKind.MonotonicCount)
        {
            json.WriteNumber(IntervalProperty, point.IntervalSeconds);
        }

        json.WriteNumber(TimestampProperty, point.Timestamp);
        json.WriteString(HostProperty, point.Host);
        WriteTags(json, point.Tags);
        json.WriteEndObject();
    }

    private static void WriteServiceCheck(Utf8JsonWriter json, ServiceCheck check)
    {
        json.WriteStartObject();
        json.WriteString(CheckProperty, check.Name);
        json.WriteString(StatusProperty, StatusName(check.Status));
        json.WriteString(MessageProperty, check.Message);
        json.WriteNumber(TimestampProperty, check.Timestamp);
        json.WriteString(HostProperty, check.Host);
        WriteTags(json, check.Tags);
        json.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter json, string[] tags)
    {
        json.WriteStartArray(TagsProperty);
        foreach (var tag in tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
    }
}
