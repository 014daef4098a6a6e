using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Loki.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace FalcoCheck.Sinks.Loki;

/// <summary>
/// A Loki push body from queued alerts: one stream per distinct label set (in the order first seen), each alert one
/// entry of its stream at the alert's own time (nanoseconds). Protobuf is <c>logproto.PushRequest</c> before snappy
/// (the sink compresses); JSON is <c>{"streams":[{"stream":{..},"values":[["&lt;ns&gt;","&lt;line&gt;"],..]}]}</c>.
/// No I/O. See https://grafana.com/docs/loki/latest/reference/loki-http-api/#ingest-logs.
/// </summary>
internal static class LokiEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Encodes alerts from the front of <paramref name="documents"/> and returns how many; 0 with
    /// <paramref name="error"/> when the first cannot be read (the ones after a bad one wait for the next request).
    /// </summary>
    public static int Encode(ReadOnlySpan<byte[]> documents, LokiOptions options, IBufferWriter<byte> output, out string? error)
    {
        error = null;
        var streams = new List<Stream>();
        var byLabels = new Dictionary<string, Stream>(StringComparer.Ordinal);
        var pairs = new List<KeyValuePair<string, string>>(options.Labels.Count + options.ExtraLabels.Count);
        int count = 0;
        for (; count < documents.Length; count++)
        {
            byte[] document = documents[count];
            if (AlertDocument.Parse(document, out string? problem) is not { } alert)
            {
                if (count == 0)
                {
                    error = "a queued alert cannot be read: " + problem;
                }

                break;
            }

            LabelPairs(alert, options, pairs);
            string text = LabelsText(pairs);
            if (!byLabels.TryGetValue(text, out Stream? stream))
            {
                stream = new Stream(text, [.. pairs]);
                byLabels.Add(text, stream);
                streams.Add(stream);
            }

            stream.Entries.Add((alert.TimestampNanos, options.TextLines ? alert.Message : Encoding.UTF8.GetString(document)));
        }

        if (options.Encoding == LokiEncoding.Json)
        {
            WriteJson(streams, output);
        }
        else
        {
            ToProtobuf(streams).WriteTo(output);
        }

        return count;
    }

    /// <summary>The configured labels the alert has (an absent or empty value is no label), then the fixed ones, by name.</summary>
    internal static void LabelPairs(AlertDocument alert, LokiOptions options, List<KeyValuePair<string, string>> pairs)
    {
        pairs.Clear();
        foreach (LokiLabel label in options.Labels)
        {
            string? value = label switch
            {
                LokiLabel.Priority => alert.PriorityName,
                LokiLabel.Rule => alert.Rule,
                LokiLabel.Source => alert.Source,
                LokiLabel.Hostname => alert.Hostname,
                _ => OutputFields.TagText(alert.OutputFields, "k8s.ns.name"),
            };
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(new(LokiOptions.LabelNames[(int)label], value));
            }
        }

        foreach (KeyValuePair<string, string> extra in options.ExtraLabels)
        {
            pairs.Add(extra);
        }

        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    /// <summary>Prometheus' text form, as Loki's own <c>labels.String()</c> writes it: <c>{a="x", b="y \"q\""}</c>.</summary>
    internal static string LabelsText(List<KeyValuePair<string, string>> pairs)
    {
        var text = new StringBuilder(128).Append('{');
        for (int i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(pairs[i].Key).Append("=\"");
            foreach (char c in pairs[i].Value)
            {
                _ = c switch
                {
                    '"' => text.Append("\\\""),
                    '\\' => text.Append("\\\\"),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    private static PushRequest ToProtobuf(List<Stream> streams)
    {
        var request = new PushRequest();
        foreach (Stream stream in streams)
        {
            var adapter = new StreamAdapter { Labels = stream.Labels };
            foreach ((long nanos, string line) in stream.Entries)
            {
                adapter.Entries.Add(new EntryAdapter
                {
                    Timestamp = new Timestamp { Seconds = Math.DivRem(nanos, 1_000_000_000, out long rest), Nanos = (int)rest },
                    Line = line,
                });
            }

            request.Streams.Add(adapter);
        }

        return request;
    }

    private static void WriteJson(List<Stream> streams, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteStartArray("streams");
        Span<char> digits = stackalloc char[20];
        foreach (Stream stream in streams)
        {
            json.WriteStartObject();
            json.WriteStartObject("stream");
            foreach (KeyValuePair<string, string> pair in stream.Pairs)
            {
                json.WriteString(pair.Key, pair.Value);
            }

            json.WriteEndObject();
            json.WriteStartArray("values");
            foreach ((long nanos, string line) in stream.Entries)
            {
                json.WriteStartArray();
                nanos.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
                json.WriteStringValue(digits[..written]);
                json.WriteStringValue(line);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private sealed record Stream(string Labels, KeyValuePair<string, string>[] Pairs)
    {
        public List<(long Nanos, string Line)> Entries { get; } = [];
    }
}
