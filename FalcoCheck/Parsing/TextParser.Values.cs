using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace FalcoCheck.Parsing;

/// <summary>Sample values and timestamps, parsed from UTF-8 without allocating.</summary>
internal ref partial struct TextParser
{
    // 2^53: every integer up to it is exactly representable in a double (IEEE 754 binary64, 53-bit significand).
    private const ulong MaxExactMantissa = 1UL << 53;

    // Most digits accumulated in a ulong without overflow (10^19 - 1 < 2^64 - 1).
    private const int MaxUInt64Digits = 19;

    // Both formats accept the Go float syntax minus hex floats (see TryParseValue); the fallback is given only
    // text already matching [+-]digits[.digits][(e|E)[+-]digits], so no whitespace, currency or thousands styles.
    private const NumberStyles FloatStyles =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Exact powers of ten: 10^22 is the largest that binary64 represents exactly (Clinger 1990).</summary>
    /// <remarks>
    /// An array, not a <c>ReadOnlySpan&lt;double&gt;</c> property over constants: for element types wider than a
    /// byte, Debug builds allocate the array on every access, which the zero-allocation test catches.
    /// </remarks>
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Sample: the value as an exact integer when its text is one (optional sign, digits, optionally a fraction of
    /// zeros such as <c>55627776.000000</c>, no exponent) and it fits in a long. Falco prints nanosecond timestamps
    /// like 1747146391215396732 that a double cannot hold exactly.
    /// </summary>
    public readonly bool TryGetExactInteger(out long value)
    {
        value = _exactInteger;
        return _hasExactInteger;
    }

    /// <summary>
    /// Parses a sample value as Go's <c>strconv.ParseFloat(s, 64)</c> does, correctly rounded: decimal and exponent
    /// forms, <c>NaN</c>, <c>Inf</c>/<c>Infinity</c> with optional sign, case-insensitive; an out-of-range value
    /// (<c>1e999</c>) is an error, as Go's <c>ErrRange</c> is for Prometheus. Also reports whether the text is an
    /// exact integer that fits in a long.
    /// </summary>
    /// <remarks>
    /// NOTE: Go also accepts hex floats (<c>0x1p-3</c>) and underscores after a base prefix; those are rejected
    /// here (no exposer writes them, and .NET has no parser for them). Pinned by a test.
    /// </remarks>
    internal static bool TryParseValue(ReadOnlySpan<byte> text, out double value, out long exactInteger, out bool isExactInteger)
    {
        value = 0;
        exactInteger = 0;
        isExactInteger = false;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }

        int integerEnd = EndOfDigits(text, i);
        ReadOnlySpan<byte> integerDigits = text[i..integerEnd];
        ReadOnlySpan<byte> fractionDigits = default;
        int p = integerEnd;
        if (p < text.Length && text[p] == '.')
        {
            int fractionEnd = EndOfDigits(text, p + 1);
            fractionDigits = text[(p + 1)..fractionEnd];
            p = fractionEnd;
        }

        if (integerDigits.IsEmpty && fractionDigits.IsEmpty)
        {
            return TryParseSpecial(text, out value);
        }

        int exponent = 0;
        bool hasExponent = p < text.Length && (text[p] | 0x20) == 'e';
        if (hasExponent && !TryParseExponent(text, ref p, out exponent))
        {
            return false;
        }

        if (p != text.Length)
        {
            return false;
        }

        // Trailing zeros of the fraction change nothing: Falco prints "55627776.000000".
        fractionDigits = fractionDigits.TrimEnd((byte)'0');
        if (!hasExponent && fractionDigits.IsEmpty && integerDigits.Length <= MaxUInt64Digits)
        {
            ulong magnitude = Accumulate(0, integerDigits);
            if (magnitude <= long.MaxValue)
            {
                // long -> double is one correctly rounded conversion (cvtsi2sd / scvtf).
                double d = (long)magnitude;
                value = negative ? -d : d;
                exactInteger = negative ? -(long)magnitude : (long)magnitude;
                isExactInteger = true;
                return true;
            }

            if (negative && magnitude == 1UL << 63)
            {
                value = long.MinValue;
                exactInteger = long.MinValue;
                isExactInteger = true;
                return true;
            }
        }

        integerDigits = integerDigits.TrimStart((byte)'0');
        if (integerDigits.Length + fractionDigits.Length <= MaxUInt64Digits)
        {
            // Clinger's fast path: an exact mantissa times or divided by an exact power of ten is one IEEE
            // operation, hence correctly rounded.
            ulong mantissa = Accumulate(Accumulate(0, integerDigits), fractionDigits);
            int power = exponent - fractionDigits.Length;
            if (mantissa == 0)
            {
                value = negative ? -0.0 : 0.0;
                return true;
            }

            if (mantissa <= MaxExactMantissa && power is >= -22 and <= 22)
            {
                double m = (long)mantissa;
                value = power >= 0 ? m * ExactPowersOfTen[power] : m / ExactPowersOfTen[-power];
                value = negative ? -value : value;
                return true;
            }
        }

        return TryParseFallback(text, out value);
    }

    /// <summary>Prometheus text: the timestamp is an int64 of milliseconds (Go <c>strconv.ParseInt(s, 10, 64)</c>).</summary>
    internal static bool TryParseMilliseconds(ReadOnlySpan<byte> text, out long milliseconds)
    {
        milliseconds = 0;
        int i = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        ReadOnlySpan<byte> digits = text[i..];
        if (digits.IsEmpty || digits.Length > MaxUInt64Digits || EndOfDigits(digits, 0) != digits.Length)
        {
            return false;
        }

        ulong magnitude = Accumulate(0, digits);
        bool negative = text[0] == '-';
        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            return false;
        }

        milliseconds = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>
    /// OpenMetrics: the timestamp is float seconds; returned as milliseconds, truncated toward zero like
    /// Prometheus's <c>int64(ts * 1000)</c>.
    /// </summary>
    /// <remarks>
    /// NOTE: plain decimals are converted exactly ("1.001" is 1001 ms), where Prometheus's float multiplication can
    /// land one millisecond low (1.001 * 1000 = 1000.9999999999999 gives 1000). Pinned by a test.
    /// </remarks>
    internal static bool TryParseSecondsAsMilliseconds(ReadOnlySpan<byte> text, out long milliseconds)
    {
        milliseconds = 0;
        int i = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        int integerEnd = EndOfDigits(text, i);
        int fractionEnd = integerEnd;
        if (integerEnd < text.Length && text[integerEnd] == '.')
        {
            fractionEnd = EndOfDigits(text, integerEnd + 1);
        }

        // Up to 15 digits of seconds times 1000 stays far inside a long.
        const int MaxExactSecondsDigits = 15;
        int integerDigits = integerEnd - i;
        int fractionDigits = fractionEnd - integerEnd - 1;
        if (fractionEnd == text.Length && integerDigits <= MaxExactSecondsDigits && integerDigits + Math.Max(fractionDigits, 0) > 0)
        {
            long ms = (long)Accumulate(0, text[i..integerEnd]) * 1000;
            for (int k = 0, scale = 100; k < 3 && k < fractionDigits; k++, scale /= 10)
            {
                ms += (text[integerEnd + 1 + k] - '0') * scale;
            }

            milliseconds = text[0] == '-' ? -ms : ms;
            return true;
        }

        // Exponents and very large values: through the float, as Prometheus does.
        const double Limit = 9.2233720368547758E18;
        if (!TryParseValue(text, out double seconds, out _, out _) || double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return false;
        }

        double scaled = seconds * 1000;
        if (scaled >= Limit || scaled < -Limit)
        {
            return false;
        }

        milliseconds = (long)scaled;
        return true;
    }

    private readonly bool TryParseTimestamp(ReadOnlySpan<byte> text, out long milliseconds) =>
        _format == TextFormat.OpenMetrics
            ? TryParseSecondsAsMilliseconds(text, out milliseconds)
            : TryParseMilliseconds(text, out milliseconds);

    /// <summary>Go's <c>special</c>: [+-]inf, [+-]infinity, nan (unsigned), any case.</summary>
    private static bool TryParseSpecial(ReadOnlySpan<byte> text, out double value)
    {
        bool signed = text.Length > 0 && (text[0] == '-' || text[0] == '+');
        ReadOnlySpan<byte> word = signed ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(word, "inf"u8) || Ascii.EqualsIgnoreCase(word, "infinity"u8))
        {
            value = signed && text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (!signed && Ascii.EqualsIgnoreCase(word, "nan"u8))
        {
            value = double.NaN;
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryParseExponent(ReadOnlySpan<byte> text, ref int p, out int exponent)
    {
        // Caps the magnitude so that the int cannot overflow; anything that large goes to the fallback.
        const int ExponentCap = 100_000;
        exponent = 0;
        int i = p + 1;
        bool negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        int end = EndOfDigits(text, i);
        if (end == i)
        {
            return false;
        }

        for (int k = i; k < end && exponent < ExponentCap; k++)
        {
            exponent = (exponent * 10) + (text[k] - '0');
        }

        exponent = negative ? -exponent : exponent;
        p = end;
        return true;
    }

    /// <summary>Long mantissas and large exponents: the BCL parser, correctly rounded since .NET Core 3.0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParseFallback(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, FloatStyles, CultureInfo.InvariantCulture, out value) && !double.IsInfinity(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EndOfDigits(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Accumulate(ulong value, ReadOnlySpan<byte> digits)
    {
        foreach (byte digit in digits)
        {
            value = (value * 10) + (uint)(digit - '0');
        }

        return value;
    }
}
