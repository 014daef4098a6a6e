using System.Buffers;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Otlp.Protocol;
using Google.Protobuf;

namespace FalcoCheck.Sinks.OtlpLogs;

/// <summary>
/// An OTLP <c>ExportLogsServiceRequest</c> from queued alerts: one ResourceLogs per host and Kubernetes pod
/// (<c>host.name</c>, <c>service.name</c>, <c>k8s.namespace.name</c>, <c>k8s.pod.name</c>), one LogRecord per alert
/// with Falco's output as the body, the alert's time, the severity of its priority, and as attributes
/// <c>falco.rule</c>, <c>falco.priority</c>, <c>falco.source</c>, <c>falco.tags</c> and every output field under its
/// Falco name, typed (numbers stay integers). No I/O.
/// </summary>
internal static class OtlpLogsEncoder
{
    public const string ScopeName = "falcocheck";

    /// <summary>Output fields the resource carries (OpenTelemetry's k8s semantic conventions), not the record.</summary>
    private static readonly (string Field, string Attribute)[] ResourceFields =
    [
        ("k8s.ns.name", "k8s.namespace.name"),
        ("k8s.pod.name", "k8s.pod.name"),
    ];

    /// <summary>
    /// Falco priority ─► SeverityNumber, OpenTelemetry's syslog mapping (logs data model, appendix B): Emergency
    /// FATAL4 … Critical FATAL2, Error ERROR, Warning WARN, Notice INFO2, Informational INFO, Debug DEBUG.
    /// </summary>
    public static SeverityNumber Severity(FalcoPriority priority) => priority switch
    {
        FalcoPriority.Emergency => SeverityNumber.Fatal4,
        FalcoPriority.Alert => SeverityNumber.Fatal3,
        FalcoPriority.Critical => SeverityNumber.Fatal2,
        FalcoPriority.Error => SeverityNumber.Error,
        FalcoPriority.Warning => SeverityNumber.Warn,
        FalcoPriority.Notice => SeverityNumber.Info2,
        FalcoPriority.Informational => SeverityNumber.Info,
        _ => SeverityNumber.Debug,
    };

    /// <summary>Encodes alerts from the front and returns how many; 0 with <paramref name="error"/> when the first cannot be read.</summary>
    public static int Encode(ReadOnlySpan<byte[]> documents, OtlpLogsOptions options, long observedNanos, IBufferWriter<byte> output, out string? error)
    {
        error = null;
        var request = new ExportLogsServiceRequest();
        var byResource = new Dictionary<string, ScopeLogs>(StringComparer.Ordinal);
        int count = 0;
        for (; count < documents.Length; count++)
        {
            if (AlertDocument.Parse(documents[count], out string? problem) is not { } alert)
            {
                if (count == 0)
                {
                    error = "a queued alert cannot be read: " + problem;
                }

                break;
            }

            string? ns = OutputFields.TagText(alert.OutputFields, ResourceFields[0].Field);
            string? pod = OutputFields.TagText(alert.OutputFields, ResourceFields[1].Field);
            string key = alert.Hostname + "\n" + ns + "\n" + pod;
            if (!byResource.TryGetValue(key, out ScopeLogs? scope))
            {
                var resource = new Resource();
                resource.Attributes.Add(Text("host.name", alert.Hostname));
                resource.Attributes.Add(Text("service.name", options.ServiceName));
                if (ns is not null)
                {
                    resource.Attributes.Add(Text(ResourceFields[0].Attribute, ns));
                }

                if (pod is not null)
                {
                    resource.Attributes.Add(Text(ResourceFields[1].Attribute, pod));
                }

                scope = new ScopeLogs { Scope = new InstrumentationScope { Name = ScopeName, Version = ThisAssembly.Version } };
                request.ResourceLogs.Add(new ResourceLogs { Resource = resource, ScopeLogs = { scope } });
                byResource.Add(key, scope);
            }

            scope.LogRecords.Add(Record(alert, observedNanos));
        }

        request.WriteTo(output);
        return count;
    }

    private static LogRecord Record(AlertDocument alert, long observedNanos)
    {
        var record = new LogRecord
        {
            TimeUnixNano = (ulong)alert.TimestampNanos,
            ObservedTimeUnixNano = (ulong)observedNanos,
            SeverityNumber = Severity(alert.Priority),
            SeverityText = alert.PriorityName,
            Body = new AnyValue { StringValue = alert.Message },
        };
        record.Attributes.Add(Text("falco.rule", alert.Rule));
        record.Attributes.Add(Text("falco.priority", alert.PriorityName));
        if (alert.Source is not null)
        {
            record.Attributes.Add(Text("falco.source", alert.Source));
        }

        if (alert.Tags is { } tags)
        {
            var array = new ArrayValue();
            foreach (string tag in tags)
            {
                array.Values.Add(new AnyValue { StringValue = tag });
            }

            record.Attributes.Add(new KeyValue { Key = "falco.tags", Value = new AnyValue { ArrayValue = array } });
        }

        if (alert.OutputFields.ValueKind == JsonValueKind.Object)
        {
            AddFields(record, alert.OutputFields, string.Empty);
        }

        foreach ((string field, JsonElement value) in alert.Remapped)
        {
            AddField(record, field, value);
        }

        return record;
    }

    /// <summary>Flat (<c>proc.name</c>) and nested (<c>{"proc":{"name":..}}</c>) output fields both end up as <c>proc.name</c>.</summary>
    private static void AddFields(LogRecord record, JsonElement fields, string prefix)
    {
        foreach (JsonProperty property in fields.EnumerateObject())
        {
            string name = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                AddFields(record, property.Value, name);
            }
            else
            {
                AddField(record, name, property.Value);
            }
        }
    }

    /// <summary>A null field (Falco's "&lt;NA&gt;" in JSON) is no attribute; an array is sent as its JSON text.</summary>
    private static void AddField(LogRecord record, string name, JsonElement value)
    {
        AnyValue? any = value.ValueKind switch
        {
            JsonValueKind.String => new AnyValue { StringValue = value.GetString() },
            JsonValueKind.Number when value.TryGetInt64(out long integer) => new AnyValue { IntValue = integer },
            JsonValueKind.Number => new AnyValue { DoubleValue = value.GetDouble() },
            JsonValueKind.True => new AnyValue { BoolValue = true },
            JsonValueKind.False => new AnyValue { BoolValue = false },
            JsonValueKind.Array => new AnyValue { StringValue = value.GetRawText() },
            _ => null,
        };
        if (any is not null)
        {
            record.Attributes.Add(new KeyValue { Key = name, Value = any });
        }
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
