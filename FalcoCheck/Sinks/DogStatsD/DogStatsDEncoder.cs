using System.Buffers;
using System.Globalization;
using System.Text;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks.Datadog;

namespace FalcoCheck.Sinks.DogStatsD;

/// <summary>
/// DogStatsD datagrams (Datadog docs, "DogStatsD Datagram Format"), pure: <c>falco.memory.rss:96903168|g|#tag:a,host:node-1</c>,
/// counts as increments <c>|c</c>; service checks <c>_sc|falco.openmetrics.health|0|d:1747146400|h:node-1|#tags|m:message</c>.
/// Lines are packed, newline-separated, into one datagram up to the size limit. Tags are normalized as Datadog
/// stores them, which also removes the separators <c>|</c>, <c>,</c> and <c>#</c>.
/// </summary>
internal sealed class DogStatsDEncoder
{
    private readonly ArrayBufferWriter<byte> _line = new(512);

    /// <summary>
    /// Writes one datagram of as many points, then service checks, as fit in <paramref name="maxBytes"/>.
    /// A line longer than the limit on its own is skipped and counted in <paramref name="tooLarge"/>.
    /// </summary>
    public (int Points, int Checks) Write(ReadOnlySpan<MetricPoint> points, ReadOnlySpan<ServiceCheck> checks, int maxBytes,
        IBufferWriter<byte> output, out int tooLarge)
    {
        int size = 0;
        int takenPoints = 0;
        int takenChecks = 0;
        tooLarge = 0;
        foreach (var point in points)
        {
            _line.ResetWrittenCount();
            WriteMetric(point, _line);
            if (!TryAppend(output, ref size, maxBytes, ref tooLarge))
            {
                return (takenPoints, 0);
            }

            takenPoints++;
        }

        foreach (var check in checks)
        {
            _line.ResetWrittenCount();
            WriteServiceCheck(check, _line);
            if (!TryAppend(output, ref size, maxBytes, ref tooLarge))
            {
                break;
            }

            takenChecks++;
        }

        return (takenPoints, takenChecks);
    }

    /// <summary>Appends the current line; false when the datagram is full (the line waits for the next one).</summary>
    private bool TryAppend(IBufferWriter<byte> output, ref int size, int maxBytes, ref int tooLarge)
    {
        int length = _line.WrittenCount;
        if (length > maxBytes)
        {
            tooLarge++;
            return true; // Taken (and dropped): it can never fit.
        }

        int needed = length + (size > 0 ? 1 : 0);
        if (size + needed > maxBytes)
        {
            return false;
        }

        if (size > 0)
        {
            output.Write("\n"u8);
        }

        output.Write(_line.WrittenSpan);
        size += needed;
        return true;
    }

    private static void WriteMetric(in MetricPoint point, IBufferWriter<byte> line)
    {
        WriteText(line, point.Name);
        line.Write(":"u8);
        WriteNumber(line, point.Value);
        line.Write(point.Kind == MetricKind.MonotonicCount ? "|c"u8 : "|g"u8);
        WriteTags(line, DatadogTags.Normalize(point.Tags), point.Host);
    }

    private static void WriteServiceCheck(ServiceCheck check, IBufferWriter<byte> line)
    {
        line.Write("_sc|"u8);
        WriteText(line, check.Name);
        line.Write("|"u8);
        WriteNumber(line, (int)check.Status);
        line.Write("|d:"u8);
        WriteNumber(line, check.Timestamp);
        line.Write("|h:"u8);
        WriteText(line, check.Host);
        WriteTags(line, DatadogTags.Normalize(check.Tags), host: null);
        if (check.Message.Length > 0)
        {
            // The message is the last field; the format escapes newlines as "\n".
            line.Write("|m:"u8);
            WriteText(line, check.Message.ReplaceLineEndings("\\n"));
        }
    }

    /// <summary><c>|#a,b</c>, then <c>host:</c> (the Agent takes a host tag as the metric's hostname).</summary>
    private static void WriteTags(IBufferWriter<byte> line, string[] tags, string? host)
    {
        if (tags.Length == 0 && host is null)
        {
            return;
        }

        line.Write("|#"u8);
        for (int i = 0; i < tags.Length; i++)
        {
            if (i > 0)
            {
                line.Write(","u8);
            }

            WriteText(line, tags[i]);
        }

        if (host is not null)
        {
            line.Write(tags.Length > 0 ? ",host:"u8 : "host:"u8);
            WriteText(line, host);
        }
    }

    private static void WriteText(IBufferWriter<byte> line, string text)
    {
        var span = line.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        line.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteNumber<T>(IBufferWriter<byte> line, T value)
        where T : IUtf8SpanFormattable
    {
        var span = line.GetSpan(32);
        // "R" for doubles: the shortest text that reads back to the same value; integers as digits.
        value.TryFormat(span, out int written, typeof(T) == typeof(double) ? "R" : default, CultureInfo.InvariantCulture);
        line.Advance(written);
    }
}
