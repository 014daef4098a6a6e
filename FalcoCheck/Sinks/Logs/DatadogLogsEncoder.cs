using System.IO.Compression;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// The body of a Datadog logs intake v2 request: a JSON array of log objects, gzip-compressed. No I/O beyond the
/// given stream; the limits are the intake's (https://docs.datadoghq.com/api/latest/logs/#send-logs).
/// </summary>
internal static class DatadogLogsEncoder
{
    /// <summary>"Maximum array size if sending multiple logs in an array: 1000 entries."</summary>
    public const int MaxEntries = 1000;

    /// <summary>"Maximum content size per payload (uncompressed): 5MB" — read as 5,000,000 bytes, the stricter reading.</summary>
    public const long MaxPayloadBytes = 5_000_000;

    /// <summary>Entries' bytes per payload: the payload limit less the array's brackets and commas.</summary>
    public const long MaxEntryBytes = MaxPayloadBytes - MaxEntries - 1;

    /// <summary>Writes <c>[e1,e2,…]</c> through gzip to <paramref name="output"/>.</summary>
    public static void Encode(ReadOnlySpan<byte[]> entries, Stream output)
    {
        using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        gzip.WriteByte((byte)'[');
        for (int i = 0; i < entries.Length; i++)
        {
            if (i > 0)
            {
                gzip.WriteByte((byte)',');
            }

            gzip.Write(entries[i]);
        }

        gzip.WriteByte((byte)']');
    }
}
