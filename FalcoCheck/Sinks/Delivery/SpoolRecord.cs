using System.Buffers;
using System.Globalization;
using System.Text.Json;
using FalcoCheck.Mapping;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A metrics batch as one line of the disk spool: JSON with every item and how many were already delivered
/// (<c>done</c>), so a batch spilled in the middle of its delivery is never sent twice. Written with
/// <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/> (no reflection, for NativeAOT). Not a
/// hot path: only batches that did not fit the memory queue come here.
/// </summary>
internal static class SpoolRecord
{
    /// <summary>Bumped when the layout changes; a record of another version is skipped, not misread.</summary>
    public const int Version = 1;

    /// <param name="done">What counts as delivered (default: the batch's cursors, read once here).</param>
    public static byte[] Encode(Batch batch, (int Points, int Checks, int Events)? done = null)
    {
        var (points, checks, events) = done ?? (batch.PointsDone, batch.ChecksDone, batch.EventsDone);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            if (batch.FalcoVersion is { } falco)
            {
                json.WriteString("falco_version", falco);
            }

            json.WriteStartArray("done");
            json.WriteNumberValue(points);
            json.WriteNumberValue(checks);
            json.WriteNumberValue(events);
            json.WriteEndArray();

            json.WriteStartArray("points");
            foreach (ref readonly MetricPoint point in batch.AllPoints)
            {
                WritePoint(json, point);
            }

            json.WriteEndArray();
            json.WriteStartArray("checks");
            foreach (ServiceCheck check in batch.AllChecks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteNumber("status", (int)check.Status);
                json.WriteString("message", check.Message);
                json.WriteNumber("timestamp", check.Timestamp);
                json.WriteString("host", check.Host);
                WriteTags(json, check.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("events");
            foreach (FalcoEvent e in batch.AllEvents)
            {
                json.WriteStartObject();
                json.WriteString("name", e.Name);
                json.WriteString("title", e.Title);
                json.WriteString("text", e.Text);
                json.WriteNumber("timestamp", e.Timestamp);
                json.WriteString("host", e.Host);
                WriteTags(json, e.Tags);
                json.WriteString("alert_type", e.AlertType);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The batch, with its delivered items already passed; null with a reason for a line that is not a record.</summary>
    public static Batch? Decode(ReadOnlyMemory<byte> line, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (!root.TryGetProperty("v", out JsonElement version) || version.GetInt32() != Version)
            {
                error = "a spool record of another FalcoCheck version";
                return null;
            }

            var points = Read(root, "points", ReadPoint);
            var checks = Read(root, "checks", static c => new ServiceCheck(
                Text(c, "name"), (ServiceCheckStatus)c.GetProperty("status").GetInt32(), Text(c, "message"),
                c.GetProperty("timestamp").GetInt64(), Text(c, "host"), Tags(c)));
            var events = Read(root, "events", static e => new FalcoEvent(
                Text(e, "name"), Text(e, "title"), Text(e, "text"), e.GetProperty("timestamp").GetInt64(), Text(e, "host"),
                Tags(e), Text(e, "alert_type")));
            string? falco = root.TryGetProperty("falco_version", out JsonElement f) ? f.GetString() : null;
            var batch = new Batch(points, checks, events, falco);
            if (root.TryGetProperty("done", out JsonElement done) && done.GetArrayLength() == 3)
            {
                batch.Resume(done[0].GetInt32(), done[1].GetInt32(), done[2].GetInt32());
            }

            return batch;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            error = "an unreadable spool record: " + e.Message;
            return null;
        }
    }

    /// <summary>
    /// Delivery progress inside the records at the spool's head, for <see cref="DiskSpool.SaveProgress"/>:
    /// <c>points,checks,events</c> counted from <paramref name="from"/> — what the records themselves say is done —
    /// because a restart merges what is left of them, and counts from there.
    /// </summary>
    public static string Progress(Batch batch, (int Points, int Checks, int Events) from) =>
        string.Create(CultureInfo.InvariantCulture, $"{batch.PointsDone - from.Points},{batch.ChecksDone - from.Checks},{batch.EventsDone - from.Events}");

    /// <summary>
    /// Applies what <see cref="Progress"/> wrote to a batch just read back (and merged): on top of what the records
    /// say is done, as it was counted. Anything else is ignored (the record's own <c>done</c> holds).
    /// </summary>
    public static void Resume(Batch batch, string? progress)
    {
        string[] parts = progress?.Split(',') ?? [];
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int points)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int checks)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int events))
        {
            batch.Resume(batch.PointsDone + points, batch.ChecksDone + checks, batch.EventsDone + events);
        }
    }

    private static void WritePoint(Utf8JsonWriter json, in MetricPoint point)
    {
        json.WriteStartObject();
        json.WriteString("name", point.Name);
        json.WriteString("kind", point.Kind == MetricKind.MonotonicCount ? "count" : point.Kind == MetricKind.Gauge ? "gauge" : "metadata");
        WriteDouble(json, "value", point.Value);
        json.WriteNumber("timestamp", point.Timestamp);
        json.WriteNumber("interval", point.IntervalSeconds);
        json.WriteString("host", point.Host);
        WriteTags(json, point.Tags);
        if (point.Unit is { } unit)
        {
            json.WriteString("unit", unit);
        }

        if (point.Cumulative is { } cumulative)
        {
            WriteDouble(json, "cumulative", cumulative);
        }

        if (point.StartTimeUnixNano != 0)
        {
            json.WriteNumber("start_time_unix_nano", point.StartTimeUnixNano);
        }

        json.WriteEndObject();
    }

    private static MetricPoint ReadPoint(JsonElement p) =>
        new(Text(p, "name"), Kind(Text(p, "kind")), Double(p.GetProperty("value")), p.GetProperty("timestamp").GetInt64(),
            p.GetProperty("interval").GetInt32(), Text(p, "host"), Tags(p), p.TryGetProperty("unit", out JsonElement unit) ? unit.GetString() : null)
        {
            Cumulative = p.TryGetProperty("cumulative", out JsonElement c) ? Double(c) : null,
            StartTimeUnixNano = p.TryGetProperty("start_time_unix_nano", out JsonElement s) ? s.GetInt64() : 0,
        };

    private static MetricKind Kind(string kind) => kind switch
    {
        "count" => MetricKind.MonotonicCount,
        "gauge" => MetricKind.Gauge,
        "metadata" => MetricKind.Metadata,
        _ => throw new FormatException($"unknown metric kind '{kind}'"),
    };

    /// <summary>JSON has no NaN or infinities; they are kept as strings rather than lost.</summary>
    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static double Double(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : value.GetDouble();

    private static void WriteTags(Utf8JsonWriter json, string[] tags)
    {
        json.WriteStartArray("tags");
        foreach (string tag in tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
    }

    private static string[] Tags(JsonElement item)
    {
        JsonElement tags = item.GetProperty("tags");
        var result = new string[tags.GetArrayLength()];
        int i = 0;
        foreach (JsonElement tag in tags.EnumerateArray())
        {
            result[i++] = tag.GetString()!;
        }

        return result;
    }

    private static string Text(JsonElement item, string name) => item.GetProperty(name).GetString()!;

    private static T[] Read<T>(JsonElement root, string name, Func<JsonElement, T> read)
    {
        if (!root.TryGetProperty(name, out JsonElement items))
        {
            return [];
        }

        var result = new T[items.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            result[i++] = read(item);
        }

        return result;
    }
}
