using System.Text.Json;
using FalcoCheck.Alerts;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// The facts the alert sinks (Alertmanager, the webhook's chat presets, syslog, NATS, Loki, OTLP logs) read back from
/// one queued alert: the normalized document (<see cref="AlertNormalizer"/>) is what is queued and spooled, so these
/// are parsed from it rather than kept beside it, and a spooled alert replays the same way.
/// </summary>
internal sealed class AlertDocument
{
    private AlertDocument(string rule, FalcoPriority priority, string hostname, long timestampNanos, string message, string? source, JsonElement fields,
        IReadOnlyList<string>? tags)
    {
        // The normalizer moved user.name and evt.type out of output_fields (Datadog's standard attributes): back.
        Remapped = [];
        Rule = rule;
        Priority = priority;
        Hostname = hostname;
        TimestampNanos = timestampNanos;
        Message = message;
        Source = source;
        OutputFields = fields;
        Tags = tags;
    }

    public string Rule { get; }

    public FalcoPriority Priority { get; }

    /// <summary>Falco's name of the priority (<c>Warning</c>), whatever case the alert used.</summary>
    public string PriorityName => Name(Priority);

    public string Hostname { get; }

    public long TimestampNanos { get; }

    /// <summary>Falco's output line (the rule when the alert had none).</summary>
    public string Message { get; }

    public string? Source { get; }

    /// <summary>The rule's tags (the string items of <c>tags</c>), or null when the alert had no <c>tags</c> array.</summary>
    public IReadOnlyList<string>? Tags { get; }

    /// <summary><c>output_fields</c> as the document keeps them (an undefined element when absent); valid until the next parse.</summary>
    public JsonElement OutputFields { get; }

    /// <summary>
    /// The Falco fields the normalizer moved to <c>usr.name</c> and <c>evt.name</c>, under their Falco names
    /// (<c>user.name</c>, <c>evt.type</c>), so a sink that sends fields by name sends them all.
    /// </summary>
    public List<KeyValuePair<string, JsonElement>> Remapped { get; }

    /// <summary>Null (and <paramref name="error"/>) when the bytes are not a normalized alert: a spool edited by hand.</summary>
    public static AlertDocument? Parse(ReadOnlySpan<byte> document, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(document);
            using JsonDocument json = JsonDocument.ParseValue(ref reader);
            JsonElement root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("rule", out JsonElement rule) && rule.ValueKind == JsonValueKind.String
                && root.TryGetProperty("priority", out JsonElement priority) && priority.ValueKind == JsonValueKind.String
                && AlertPriorities.TryParse(priority.GetString(), out FalcoPriority level))
            {
                string hostname = root.TryGetProperty("hostname", out JsonElement h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : string.Empty;
                long nanos = 0;
                if (root.TryGetProperty("timestamp_ns", out JsonElement t) && !(t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out nanos)))
                {
                    // TryGetInt64 throws on a string or null: a line edited by hand must cost only itself, not the sink's worker.
                    error = "timestamp_ns is not an integer (Unix nanoseconds)";
                    return null;
                }

                string message = root.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : rule.GetString()!;
                string? source = root.TryGetProperty("source", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                JsonElement fields = root.TryGetProperty("output_fields", out JsonElement f) && f.ValueKind == JsonValueKind.Object ? f.Clone() : default;
                var alert = new AlertDocument(rule.GetString()!, level, hostname, nanos, message, source, fields, ReadTags(root));
                AddRemapped(alert, root, "usr", "user.name");
                AddRemapped(alert, root, "evt", "evt.type");
                return alert;
            }

            error = "not a normalized alert (rule or priority missing)";
            return null;
        }
        catch (JsonException e)
        {
            error = "not JSON: " + e.Message;
            return null;
        }
    }

    private static List<string>? ReadTags(JsonElement root)
    {
        if (!root.TryGetProperty("tags", out JsonElement tags) || tags.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = new List<string>(tags.GetArrayLength());
        foreach (JsonElement tag in tags.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String)
            {
                names.Add(tag.GetString()!);
            }
        }

        return names;
    }

    private static void AddRemapped(AlertDocument alert, JsonElement root, string parent, string field)
    {
        if (root.TryGetProperty(parent, out JsonElement holder) && holder.ValueKind == JsonValueKind.Object
            && holder.TryGetProperty("name", out JsonElement value))
        {
            alert.Remapped.Add(new(field, value.Clone()));
        }
    }

    /// <summary>Falco's spelling of each priority (falco_common.cpp <c>priority_names</c>).</summary>
    public static string Name(FalcoPriority priority) => priority switch
    {
        FalcoPriority.Emergency => "Emergency",
        FalcoPriority.Alert => "Alert",
        FalcoPriority.Critical => "Critical",
        FalcoPriority.Error => "Error",
        FalcoPriority.Warning => "Warning",
        FalcoPriority.Notice => "Notice",
        FalcoPriority.Informational => "Informational",
        _ => "Debug",
    };
}
