using System.Buffers;
using System.Buffers.Text;
using System.Text;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Syslog;

/// <summary>
/// One alert as an RFC 5424 message: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME falco - - [falco@32473 rule=".." priority=".."
/// hostname=".." source=".."] BOM MSG</c>. The severity is Falco's priority number, which is syslog's order
/// (Emergency 0 … Debug 7). No I/O: the sink frames and sends.
/// </summary>
/// <remarks>
/// NOTE: 32473 is the private enterprise number RFC 5612 reserves for documentation; FalcoCheck has none of its own,
/// and a receiver matches the SD-ID by name.
/// </remarks>
internal static class SyslogEncoder
{
    public const string StructuredDataId = "falco@32473";

    /// <summary>The largest UDP payload over IPv4 (65,535 less the IP and UDP headers); longer messages are cut.</summary>
    public const int MaxDatagramBytes = 65_507;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Writes the message for <paramref name="alert"/>, whose queued document is <paramref name="document"/>.</summary>
    public static void Encode(AlertDocument alert, ReadOnlySpan<byte> document, int facility, SyslogFormat format, IBufferWriter<byte> output)
    {
        Write(output, "<");
        WriteNumber(output, (facility * 8) + (int)alert.Priority);
        Write(output, ">1 ");
        WriteTimestamp(output, alert.TimestampNanos);
        output.Write(" "u8);
        WriteHeaderField(output, alert.Hostname, 255);
        Write(output, " falco - - [" + StructuredDataId);
        WriteParam(output, "rule", alert.Rule);
        WriteParam(output, "priority", alert.PriorityName);
        WriteParam(output, "hostname", alert.Hostname);
        if (alert.Source is not null)
        {
            WriteParam(output, "source", alert.Source);
        }

        output.Write("] "u8);
        output.Write(Bom);
        if (format == SyslogFormat.Json)
        {
            output.Write(document);
        }
        else
        {
            Write(output, alert.Message);
        }
    }

    /// <summary>How many bytes of <paramref name="message"/> fit <paramref name="limit"/> without cutting a UTF-8 character.</summary>
    public static int CutAt(ReadOnlySpan<byte> message, int limit)
    {
        if (message.Length <= limit)
        {
            return message.Length;
        }

        int end = limit;
        while (end > 0 && (message[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return end;
    }

    /// <summary>RFC 3339 in UTC with microseconds, the most TIME-SECFRAC allows (6 digits).</summary>
    private static void WriteTimestamp(IBufferWriter<byte> output, long nanos)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
        Span<byte> text = output.GetSpan(32);
        Utf8Formatter.TryFormat(time.UtcDateTime, text, out int written, new StandardFormat('O'));
        // 'O' writes 7 fraction digits and "Z" for UTC: keep six.
        text[written - 2] = (byte)'Z';
        output.Advance(written - 1);
    }

    /// <summary>HOSTNAME is 1*255 PRINTUSASCII: other bytes become '_', an empty one the NILVALUE.</summary>
    private static void WriteHeaderField(IBufferWriter<byte> output, string value, int max)
    {
        if (value.Length == 0)
        {
            output.Write("-"u8);
            return;
        }

        int length = Math.Min(value.Length, max);
        Span<byte> span = output.GetSpan(length);
        for (int i = 0; i < length; i++)
        {
            char c = value[i];
            span[i] = c is > ' ' and <= '~' ? (byte)c : (byte)'_';
        }

        output.Advance(length);
    }

    /// <summary>PARAM-VALUE is UTF-8 with '"', '\' and ']' escaped by a backslash (RFC 5424 6.3.3).</summary>
    private static void WriteParam(IBufferWriter<byte> output, string name, string value)
    {
        output.Write(" "u8);
        Write(output, name);
        output.Write("=\""u8);
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] is '"' or '\\' or ']')
            {
                Write(output, value.AsSpan(start, i - start));
                output.Write("\\"u8);
                start = i;
            }
        }

        Write(output, value.AsSpan(start));
        output.Write("\""u8);
    }

    private static void WriteNumber(IBufferWriter<byte> output, int value)
    {
        Span<byte> span = output.GetSpan(11);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
