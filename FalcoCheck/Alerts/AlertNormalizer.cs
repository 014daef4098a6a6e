using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FalcoCheck.Alerts;

/// <summary>
/// Turns one Falco alert (json_output) into the log document the sinks send, in the shape of Datadog's Falco log
/// pipeline (assets/logs/falco.yaml and its test): <c>time</c> ─► <c>timestamp</c>, <c>priority</c> ─►
/// <c>status</c>, <c>output_fields</c> kept with their JSON types (numbers keep every digit: <c>evt.time</c> is
/// beyond double precision), <c>user.name</c> ─► <c>usr.name</c> and <c>evt.type</c> ─► <c>evt.name</c> moved out
/// of <c>output_fields</c>, and every other alert property kept as it came.
/// </summary>
/// <remarks>
/// Document: <c>message</c> (Falco's output line, or the rule when the alert has none), <c>status</c>,
/// <c>timestamp</c> (Unix milliseconds, Datadog's reserved date attribute), <c>timestamp_ns</c> (Unix nanoseconds,
/// exact), <c>hostname</c>, <c>service</c>, <c>ddsource</c> (<c>falco</c>), <c>ddtags</c>, then the alert's own
/// properties, then <c>usr</c> and <c>evt</c>.
/// </remarks>
internal static class AlertNormalizer
{
    public const string DdSource = "falco";

    /// <summary>Remaps of Datadog's pipeline and standard attributes: Falco field ─► top-level attribute.</summary>
    private static readonly (string Field, string Parent, string Name)[] Remaps =
    [
        ("user.name", "usr", "name"),
        ("evt.type", "evt", "name"),
    ];

    /// <summary>Top-level names the document writes itself; an alert property of the same name is not copied.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "message", "status", "timestamp", "timestamp_ns", "hostname", "service", "ddsource", "ddtags", "usr", "evt",
    };

    /// <summary>
    /// Only what JSON requires is escaped (not quotes, '&lt;' or non-ASCII letters as the default encoder does): the
    /// documents go to log backends, never into HTML.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool TryNormalize(JsonElement alert, AlertContext context, out NormalizedAlert? normalized, out string? error)
    {
        normalized = null;
        if (alert.ValueKind != JsonValueKind.Object)
        {
            error = $"expected an alert object, got {Kind(alert)}";
            return false;
        }

        if (!TryGetString(alert, "rule", out string? rule) || rule.Length == 0)
        {
            error = "not a Falco alert: 'rule' is missing or not a string (is json_output: true set in falco.yaml?)";
            return false;
        }

        if (!TryGetString(alert, "priority", out string? priorityText) || !AlertPriorities.TryParse(priorityText, out FalcoPriority priority))
        {
            error = "not a Falco alert: 'priority' is missing or not one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug";
            return false;
        }

        JsonElement fields = alert.TryGetProperty("output_fields", out JsonElement f) && f.ValueKind == JsonValueKind.Object ? f : default;
        long nanos = Timestamp(alert, fields, context.Clock);
        string? source = TryGetString(alert, "source", out string? s) && s.Length > 0 ? s : null;
        string hostname = TryGetString(alert, "hostname", out string? h) && h.Length > 0 ? h : context.Hostname;
        string message = TryGetString(alert, "output", out string? output) && output.Length > 0 ? output : rule;
        JsonElement ruleTags = alert.TryGetProperty("tags", out JsonElement t) ? t : default;
        List<string> tags = AlertEnricher.Tags(context.BaseTags, rule, priority, source, ruleTags, fields);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteString("status", AlertPriorities.Status(priority));
            json.WriteNumber("timestamp", nanos / 1_000_000);
            json.WriteNumber("timestamp_ns", nanos);
            json.WriteString("hostname", hostname);
            json.WriteString("service", context.Service);
            json.WriteString("ddsource", DdSource);
            json.WriteString("ddtags", string.Join(',', tags));
            foreach (JsonProperty property in alert.EnumerateObject())
            {
                if (Reserved.Contains(property.Name))
                {
                    continue;
                }

                if (property.NameEquals("output_fields") && fields.ValueKind == JsonValueKind.Object)
                {
                    json.WritePropertyName("output_fields");
                    WriteFields(json, fields, string.Empty);
                }
                else
                {
                    property.WriteTo(json);
                }
            }

            WriteRemaps(json, fields);
            json.WriteEndObject();
        }

        normalized = new NormalizedAlert(rule, priority, source, hostname, nanos, buffer.WrittenSpan.ToArray()) { RuleTags = RuleTags(ruleTags) };
        error = null;
        return true;
    }

    private static string[] RuleTags(JsonElement tags)
    {
        if (tags.ValueKind != JsonValueKind.Array || tags.GetArrayLength() == 0)
        {
            return [];
        }

        var list = new List<string>(tags.GetArrayLength());
        foreach (JsonElement item in tags.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } tag)
            {
                list.Add(tag);
            }
        }

        return [.. list];
    }

    /// <summary><c>time</c>; else <c>evt.time</c> (nanoseconds); else now, so an alert is never dated 1970.</summary>
    private static long Timestamp(JsonElement alert, JsonElement fields, TimeProvider clock)
    {
        if (TryGetString(alert, "time", out string? time) && FalcoTime.TryParseUnixNanos(time, out long nanos))
        {
            return nanos;
        }

        if (OutputFields.TryGet(fields, "evt.time", out JsonElement evtTime) && evtTime.ValueKind == JsonValueKind.Number
            && evtTime.TryGetInt64(out long evtNanos) && evtNanos > 0)
        {
            return evtNanos;
        }

        return (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    /// <summary>Copies <c>output_fields</c> without the remapped fields (Datadog's remapper: preserveSource false).</summary>
    private static void WriteFields(Utf8JsonWriter json, JsonElement fields, string prefix)
    {
        json.WriteStartObject();
        foreach (JsonProperty property in fields.EnumerateObject())
        {
            string path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (IsRemapped(path))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Object && ContainsRemap(path))
            {
                if (HasKeptChild(property.Value, path))
                {
                    json.WritePropertyName(property.Name);
                    WriteFields(json, property.Value, path);
                }

                continue;
            }

            property.WriteTo(json);
        }

        json.WriteEndObject();
    }

    private static bool HasKeptChild(JsonElement obj, string path)
    {
        foreach (JsonProperty child in obj.EnumerateObject())
        {
            if (!IsRemapped(path + "." + child.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteRemaps(Utf8JsonWriter json, JsonElement fields)
    {
        foreach ((string field, string parent, string name) in Remaps)
        {
            if (OutputFields.TryGet(fields, field, out JsonElement value))
            {
                json.WriteStartObject(parent);
                json.WritePropertyName(name);
                value.WriteTo(json);
                json.WriteEndObject();
            }
        }
    }

    private static bool IsRemapped(string path)
    {
        foreach ((string field, _, _) in Remaps)
        {
            if (string.Equals(field, path, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsRemap(string path)
    {
        foreach ((string field, _, _) in Remaps)
        {
            if (field.Length > path.Length && field.StartsWith(path, StringComparison.Ordinal) && field[path.Length] == '.')
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryGetString(JsonElement obj, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = obj.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }

    internal static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
