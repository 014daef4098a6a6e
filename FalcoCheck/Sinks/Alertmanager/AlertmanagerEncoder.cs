using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Alertmanager;

/// <summary>
/// The body of Alertmanager's <c>POST /api/v2/alerts</c> (its OpenAPI spec, api/v2/openapi.yaml, <c>postableAlerts</c>):
/// a JSON array of <c>{labels, annotations, startsAt, endsAt?}</c>, one per alert document, read back as every alert
/// sink reads it (<see cref="AlertDocument"/>). No I/O.
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

    /// <summary>
    /// Writes the array of the documents from the front and returns how many; it stops before a document that is not
    /// an alert (a spool edited by hand), so 0 means the first is one (<see cref="AlertDocument.Parse"/> says why).
    /// </summary>
    public static int Encode(ReadOnlySpan<byte[]> documents, AlertmanagerOptions options, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartArray();
        int count = 0;
        for (; count < documents.Length; count++)
        {
            if (AlertDocument.Parse(documents[count], out _) is not { } alert)
            {
                break;
            }

            WriteAlert(json, alert, options);
        }

        json.WriteEndArray();
        return count;
    }

    private static void WriteAlert(Utf8JsonWriter json, AlertDocument alert, AlertmanagerOptions options)
    {
        string output = alert.Message.Length > 0 ? alert.Message : alert.Rule;
        json.WriteStartObject();
        json.WriteStartObject("labels");
        json.WriteString("alertname", alert.Rule);
        json.WriteString("priority", AlertPriorities.TagValue(alert.Priority));
        json.WriteString("severity", AlertPriorities.Status(alert.Priority));
        WriteLabel(json, "source", alert.Source);
        WriteLabel(json, "hostname", alert.Hostname);
        foreach ((string field, string label) in FieldLabels)
        {
            // Falco gives host processes the container id "host": not a container.
            string? value = OutputFields.TagText(alert.OutputFields, field);
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
        json.WriteString("startsAt", Rfc3339(alert.TimestampNanos));
        if (options.ExpiresAfter is { } expires)
        {
            json.WriteString("endsAt", Rfc3339(alert.TimestampNanos + expires.Ticks * 100));
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
