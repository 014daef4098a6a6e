using System.Buffers;
using System.Text.Json;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Writes a JSON array of items into a payload while it stays under a byte limit: each item is first written to a
/// reused scratch buffer, so one that does not fit is never half-written (the encoder reports how many fit, the
/// sender sends the rest in the next request).
/// </summary>
internal sealed class JsonItemWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _scratch = new(1024);

    public JsonItemWriter() => Json = new Utf8JsonWriter(_scratch, Options);

    /// <summary>The writer of the current item; valid inside the <c>writeItem</c> callback.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>
    /// Writes <paramref name="prefix"/>, then items separated by commas while the whole (with
    /// <paramref name="suffix"/>) stays within <paramref name="maxBytes"/>, then the suffix.
    /// </summary>
    /// <returns>How many items were written; 0 when the first alone is too large.</returns>
    public int WriteArray<T>(ReadOnlySpan<T> items, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix, int maxBytes,
        IBufferWriter<byte> output, Action<JsonItemWriter, T> writeItem)
    {
        output.Write(prefix);
        long size = prefix.Length + suffix.Length;
        int count = 0;
        foreach (var item in items)
        {
            _scratch.ResetWrittenCount();
            Json.Reset(_scratch);
            writeItem(this, item);
            Json.Flush();
            int extra = _scratch.WrittenCount + (count > 0 ? 1 : 0);
            if (size + extra > maxBytes)
            {
                break;
            }

            if (count > 0)
            {
                output.Write(","u8);
            }

            output.Write(_scratch.WrittenSpan);
            size += extra;
            count++;
        }

        output.Write(suffix);
        return count;
    }

    public void WriteTags(string name, string[] tags)
    {
        Json.WriteStartArray(name);
        foreach (var tag in tags)
        {
            Json.WriteStringValue(tag);
        }

        Json.WriteEndArray();
    }

    public void Dispose() => Json.Dispose();
}
