using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FalcoCheck.Alerts;

namespace FalcoCheck.Sinks.Alertmanager;

/// <summary>
/// The body of Alertmanager's <c>POST /api/v2/alerts</c> (its OpenAPI spec, api/v2/openapi.yaml, <c>postableAlerts</c>):
/// a JSON array of <c>{labels, annotations, startsAt, endsAt?}</c>, one per alert document. No I/O.
/// </summary>
/// <remarks>
/// Labels are the alert's identity in Alertmanager (its fingerprint): <c>alertname</c> (the rule), <c>priority</c>,
/// <c>severity</c>, <c>source</c>, <c>hostname</c> and the Kubernetes and container fields, a bounded set, never
/// the output text. Alerts with the same labels are one alert there, which is what grouping and silences expect.
/// </remarks>
internal static class AlertmanagerEncoder
{
    /// <summary>Alertmanager documents no limit; 1,000 alerts (about 1 MB) per request keeps each one moderate.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Documents' bytes per request; the encoded alert is smaller than its document (labels are a subset).</summary>
    public const long MaxEntryBytes = 4L * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Falco field ─► label: the fields of <see cref="AlertEnricher.FieldTags"/>, dots as underscores (Prometheus label names).</summary>
    private static readonly (string Field, string Label)[] FieldLabels = BuildFieldLabels();

    /// <summary>Writes the array; a document that is not a FalcoCheck alert document is written as an alert named by what it lacks.</summary>
    public static void Encode(ReadOnlySpan<byte[]> documents, AlertmanagerOptions options, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartArray();
        foreach (byte[] document in documents)
        {
            using var parsed = JsonDocument.Parse(document);
            WriteAlert(json, parsed.RootElement, options);
        }

        json.WriteEndArray();
    }

    private static void WriteAlert(Utf8JsonWriter json, JsonElement doc, AlertmanagerOptions options)
    {
        JsonElement fields = doc.TryGetProperty("output_fields", out JsonElement f) && f.ValueKind == JsonValueKind.Object ? f : default;
        string rule = Text(doc, "rule") ?? "Falco alert";
        string? priorityText = Text(doc, "priority");
        bool known = AlertPriorities.TryParse(priorityText, out FalcoPriority priority);
        string output = Text(doc, "output") ?? Text(doc, "message") ?? rule;
        long nanos = doc.TryGetProperty("timestamp_ns", out JsonElement ns) && ns.TryGetInt64(out long n) ? n : 0;

        json.WriteStartObject();
        json.WriteStartObject("labels");
        json.WriteString("alertname", rule);
        if (known)
        {
            json.WriteString("priority", AlertPriorities.TagValue(priority));
            json.WriteString("severity", AlertPriorities.Status(priority));
        }

        WriteLabel(json, "source", Text(doc, "source"));
        WriteLabel(json, "hostname", Text(doc, "hostname"));
        foreach ((string field, string label) in FieldLabels)
        {
            // Falco gives host processes the container id "host": not a container.
            string? value = OutputFields.TagText(fields, field);
            WriteLabel(json, label, label == "container_id" && value == "host" ? null : value);
        }

        foreach ((string name, string value) in options.ExtraLabels)
        {
            if (!IsOwnLabel(name))
            {
                WriteLabel(json, name, value);
            }
        }

        json.WriteEndObject();
        json.WriteStartObject("annotations");
        json.WriteString("output", output);
        json.WriteString("description", output);
        json.WriteEndObject();
        json.WriteString("startsAt", Rfc3339(nanos));
        if (options.ExpiresAfter is { } expires)
        {
            json.WriteString("endsAt", Rfc3339(nanos + expires.Ticks * 100));
        }

        json.WriteEndObject();
    }

    /// <summary>An empty value is the same as no label in Alertmanager's model, so none is written.</summary>
    private static void WriteLabel(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }

    private static bool IsOwnLabel(string name)
    {
        if (name is "alertname" or "priority" or "severity" or "source" or "hostname")
        {
            return true;
        }

        foreach ((_, string label) in FieldLabels)
        {
            if (string.Equals(label, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>RFC 3339 in UTC with nanoseconds, as Go's time.RFC3339Nano parses it (Alertmanager's <c>date-time</c>).</summary>
    internal static string Rfc3339(long unixNanos)
    {
        long seconds = Math.DivRem(unixNanos, 1_000_000_000, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000;
        }

        DateTime time = DateTime.UnixEpoch.AddSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{time:yyyy'-'MM'-'dd'T'HH':'mm':'ss}.{fraction:D9}Z");
    }

    private static string? Text(JsonElement doc, string name) =>
        doc.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static (string, string)[] BuildFieldLabels()
    {
        var labels = new (string, string)[AlertEnricher.FieldTags.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            string field = AlertEnricher.FieldTags[i].Field;
            labels[i] = (field, field.Replace('.', '_'));
        }

        return labels;
    }
}
