using System.Buffers;
using System.Runtime.CompilerServices;

namespace FalcoCheck.Parsing;

/// <summary>
/// Byte classes for the scanners. Metric names (30-60 bytes in Falco) are scanned with a vectorized
/// <see cref="SearchValues{T}"/> search; label names (mostly under 16 bytes) and runs of blanks with a 256-entry
/// table, which needs no bounds check when indexed by a byte. Each choice measured faster on the Falco fixtures
/// than the other one (mixed payload 1.9 vs 2.4 GB/s for metric names; label lines 54 vs 48 ns).
/// </summary>
internal static class ByteClass
{
    // Prometheus data model, "Metric names and labels": label names [a-zA-Z_][a-zA-Z0-9_]*, metric names
    // [a-zA-Z_:][a-zA-Z0-9_:]*. Blanks are space and tab, the separators of both text formats.
    private const byte LabelStart = 1;
    private const byte LabelChar = 2;
    private const byte MetricStart = 16;
    private const byte BlankChar = 64;

    private static readonly SearchValues<byte> MetricNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:0123456789"u8);

    // Row 0x00: tab is blank. Row 0x20: space. Row 0x30: digits, ':'. Rows 0x40-0x70: letters, '_'. Bytes >= 0x80: none.
    private static ReadOnlySpan<byte> Classes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0,  // 0x00
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x10
        64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x20
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 16, 0, 0, 0, 0, 0,  // 0x30
        0, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,  // 0x40
        19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 0, 0, 0, 0, 19,  // 0x50
        0, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,  // 0x60
        19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 0, 0, 0, 0, 0,  // 0x70
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x80
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x90
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xA0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xB0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xC0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xD0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xE0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0xF0
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLabelNameStart(byte c) => (Classes[c] & LabelStart) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMetricNameStart(byte c) => (Classes[c] & MetricStart) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBlank(byte c) => (Classes[c] & BlankChar) != 0;

    /// <summary>Index of the first byte at or after <paramref name="p"/> that cannot be in a label name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EndOfLabelName(ReadOnlySpan<byte> line, int p) => EndOf(line, p, LabelChar);

    /// <summary>Index of the first byte at or after <paramref name="p"/> that cannot be in a metric name.</summary>
    public static int EndOfMetricName(ReadOnlySpan<byte> line, int p)
    {
        int k = line[p..].IndexOfAnyExcept(MetricNameChars);
        return k < 0 ? line.Length : p + k;
    }

    /// <summary>Index of the first byte at or after <paramref name="p"/> that is not a blank.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SkipBlanks(ReadOnlySpan<byte> line, int p) => EndOf(line, p, BlankChar);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOf(ReadOnlySpan<byte> line, int p, byte mask)
    {
        ReadOnlySpan<byte> classes = Classes;
        while ((uint)p < (uint)line.Length && (classes[line[p]] & mask) != 0)
        {
            p++;
        }

        return p;
    }
}
