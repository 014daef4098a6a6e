using System.Text.Json;

namespace FalcoCheck.Alerts;

/// <summary>
/// Reads what Falco and forwarders send: one alert object (Falco's <c>http_output</c>, compact or pretty-printed),
/// a JSON array of alerts, or newline-delimited JSON (a <c>file_output</c> chunk, <c>program_output</c>, forwarders).
/// The whole body is read as a sequence of JSON values first; if that fails, each line is read on its own, so one
/// bad line (text, the tail of a cut line) loses only itself.
/// </summary>
internal static class AlertBodyReader
{
    private static readonly JsonReaderOptions SequenceOptions = new() { AllowMultipleValues = true };

    private const string NotJson = "not JSON: expected Falco's JSON output (set json_output: true in falco.yaml)";

    private static bool IsJsonStart(byte first) => first is (byte)'{' or (byte)'[';

    public static AlertBatch Read(ReadOnlySpan<byte> body, AlertContext context)
    {
        var batch = new AlertBatch();
        ReadOnlySpan<byte> content = body.Trim(" \t\r\n"u8);
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        if (content.IsEmpty)
        {
            batch.Reject("empty body: expected a Falco alert in JSON");
            return batch;
        }

        // The shortcut for one line only: in lines, a first one that is not JSON must not cost the others.
        if (!IsJsonStart(content[0]) && !content.Contains((byte)'\n'))
        {
            batch.Reject(NotJson);
            return batch;
        }

        if (!TryReadSequence(content, context, batch))
        {
            ReadLines(content, context, batch);
        }

        return batch;
    }

    /// <summary>False when the body is not a clean sequence of JSON values; nothing is added to the batch then.</summary>
    private static bool TryReadSequence(ReadOnlySpan<byte> content, AlertContext context, AlertBatch batch)
    {
        var documents = new List<(JsonDocument Document, int Line)>();
        try
        {
            var reader = new Utf8JsonReader(content, SequenceOptions);
            int line = 1;
            long counted = 0;
            while (reader.Read())
            {
                // The line a value starts on, for messages about NDJSON.
                line += content[(int)counted..(int)reader.TokenStartIndex].Count((byte)'\n');
                counted = reader.TokenStartIndex;
                documents.Add((JsonDocument.ParseValue(ref reader), line));
            }
        }
        catch (JsonException)
        {
            foreach ((JsonDocument document, _) in documents)
            {
                document.Dispose();
            }

            return false;
        }

        int index = 0;
        foreach ((JsonDocument document, int line) in documents)
        {
            using (document)
            {
                AddValue(document.RootElement, context, batch, ref index, line);
            }
        }

        return true;
    }

    private static void ReadLines(ReadOnlySpan<byte> content, AlertContext context, AlertBatch batch)
    {
        int lineNumber = 0;
        int index = 0;
        foreach (Range range in content.Split((byte)'\n'))
        {
            lineNumber++;
            ReadOnlySpan<byte> line = content[range].Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] is not ((byte)'{' or (byte)'[' or (byte)'"' or (byte)'}' or (byte)']'))
            {
                // Text (Falco without json_output, the tail of a cut line), not a piece of pretty-printed JSON.
                batch.Reject($"line {lineNumber}: {NotJson}");
                continue;
            }

            var reader = new Utf8JsonReader(line);
            try
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                if (reader.BytesConsumed != line.Length)
                {
                    batch.Reject($"line {lineNumber}: more than one JSON value on the line");
                    continue;
                }

                AddValue(document.RootElement, context, batch, ref index, lineNumber);
            }
            catch (JsonException e)
            {
                batch.Reject($"line {lineNumber}, column {(e.BytePositionInLine ?? 0) + 1}: not valid JSON");
            }
        }
    }

    private static void AddValue(JsonElement value, AlertContext context, AlertBatch batch, ref int index, int lineNumber)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            // Alerts in an array are named by their position in it, counted from 1 across the body.
            foreach (JsonElement item in value.EnumerateArray())
            {
                AddAlert(item, context, batch, ref index, lineNumber: 0);
            }
        }
        else
        {
            AddAlert(value, context, batch, ref index, lineNumber);
        }
    }

    private static void AddAlert(JsonElement value, AlertContext context, AlertBatch batch, ref int index, int lineNumber)
    {
        index++;
        if (MetricsSnapshotTranslator.IsSnapshot(value))
        {
            // Falco's own metrics (metrics.output_rule): read as metrics, never forwarded as an alert log.
            string where = lineNumber > 0 ? $"line {lineNumber}" : $"alert {index}";
            List<string> notices = batch.Notices.Count < AlertBatch.MaxReasons ? batch.Notices : [];
            if (MetricsSnapshotTranslator.Translate(value, context, where, notices, out string? problem) is { } snapshot)
            {
                batch.Snapshots.Add(snapshot);
            }
            else
            {
                batch.Reject(problem!);
            }

            if (batch.Notices.Count > AlertBatch.MaxReasons)
            {
                batch.Notices.RemoveRange(AlertBatch.MaxReasons, batch.Notices.Count - AlertBatch.MaxReasons);
            }

            return;
        }

        if (AlertNormalizer.TryNormalize(value, context, out NormalizedAlert? alert, out string? error))
        {
            batch.Alerts.Add(alert!);
        }
        else
        {
            batch.Reject(lineNumber > 0 ? $"line {lineNumber}: {error}" : $"alert {index}: {error}");
        }
    }
}

