using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FalcoCheck.Parsing;

/// <summary>
/// Byte classes for the scanners. Names are scanned 16 bytes at a time with three range compares (letters, digits,
/// '_' and for metric names ':'), which callgrind showed at a third of the instructions of both the 256-entry table
/// loop (about 6 per byte) and <c>SearchValues.IndexOfAnyExcept</c> (about 130 per 40-byte name, mostly call and
/// set-up) on the large generated payload, whose tag_* label names are 10-35 bytes. The last bytes of a line and
/// runs of blanks use the table, which needs no bounds check when indexed by a byte.
/// </summary>
internal static class ByteClass
{
    // Prometheus data model, "Metric names and labels": label names [a-zA-Z_][a-zA-Z0-9_]*, metric names
    // [a-zA-Z_:][a-zA-Z0-9_:]*. Blanks are space and tab, the separators of both text formats.
    private const byte LabelStart = 1;
    private const byte LabelChar = 2;
    private const byte MetricStart = 16;
    private const byte MetricChar = 32;
    private const byte BlankChar = 64;

    // Letters and '_' are 51 (label start and char, metric start and char), digits 34, ':' 48, blanks 64.
    // Row 0x00: tab is blank. Row 0x20: space. Row 0x30: digits, ':'. Rows 0x40-0x70: letters, '_'. Bytes >= 0x80: none.
    private static ReadOnlySpan<byte> Classes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0,  // 0x00
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x10
        64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 0x20
        34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 48, 0, 0, 0, 0, 0,  // 0x30
        0, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51,  // 0x40
        51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 0, 0, 0, 0, 51,  // 0x50
        0, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51,  // 0x60
        51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 0, 0, 0, 0, 0,  // 0x70
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
    public static bool IsMetricNameChar(byte c) => (Classes[c] & MetricChar) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBlank(byte c) => (Classes[c] & BlankChar) != 0;

    /// <summary>Index of the first byte at or after <paramref name="p"/> that cannot be in a label name.</summary>
    public static int EndOfLabelName(ReadOnlySpan<byte> line, int p) => EndOfName(line, p, colonAllowed: false);

    /// <summary>Index of the first byte at or after <paramref name="p"/> that cannot be in a metric name.</summary>
    public static int EndOfMetricName(ReadOnlySpan<byte> line, int p) => EndOfName(line, p, colonAllowed: true);

    /// <summary>
    /// Index of the first <c>"</c> or <c>\</c> at or after <paramref name="p"/>, or -1: the end of a label value. Inline
    /// 16-byte compares, because Falco's values are short ("true", a CPU number) and a call to
    /// <c>IndexOfAny</c> costs more than the search.
    /// </summary>
    public static int IndexOfQuoteOrBackslash(ReadOnlySpan<byte> line, int p)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            while (p <= line.Length - Vector128<byte>.Count)
            {
                var v = Vector128.Create(line.Slice(p, Vector128<byte>.Count));
                uint found = (Vector128.Equals(v, quote) | Vector128.Equals(v, backslash)).ExtractMostSignificantBits();
                if (found != 0)
                {
                    return p + BitOperations.TrailingZeroCount(found);
                }

                p += Vector128<byte>.Count;
            }
        }

        for (; (uint)p < (uint)line.Length; p++)
        {
            if (line[p] is (byte)'"' or (byte)'\\')
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>Index of the first byte at or after <paramref name="p"/> that is not a blank.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SkipBlanks(ReadOnlySpan<byte> line, int p) => EndOf(line, p, BlankChar);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOfName(ReadOnlySpan<byte> line, int p, bool colonAllowed)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            var caseBit = Vector128.Create((byte)0x20);
            var a = Vector128.Create((byte)'a');
            var letters = Vector128.Create((byte)26);
            var zero = Vector128.Create((byte)'0');
            var digits = Vector128.Create((byte)10);
            var underscore = Vector128.Create((byte)'_');
            var colon = Vector128.Create(colonAllowed ? (byte)':' : (byte)'_');
            while (p <= line.Length - Vector128<byte>.Count)
            {
                var v = Vector128.Create(line.Slice(p, Vector128<byte>.Count));

                // Unsigned compares: (v | 0x20) - 'a' < 26 is a letter of either case; '@' '[' '`' '{' and bytes
                // >= 0x80 all land outside.
                var inName = Vector128.LessThan((v | caseBit) - a, letters)
                    | Vector128.LessThan(v - zero, digits)
                    | Vector128.Equals(v, underscore)
                    | Vector128.Equals(v, colon);
                uint outside = ~inName.ExtractMostSignificantBits() & 0xFFFF;
                if (outside != 0)
                {
                    return p + BitOperations.TrailingZeroCount(outside);
                }

                p += Vector128<byte>.Count;
            }
        }

        return EndOf(line, p, colonAllowed ? MetricChar : LabelChar);
    }

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
