using System.Globalization;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>
/// Values are rounded exactly as Go's strconv.ParseFloat (correct rounding, which .NET's double.Parse also
/// guarantees); exact integers and timestamps are read without going through a double.
/// </summary>
internal sealed class TextParserValueTests
{
    public static IEnumerable<TestCaseData> GoCases()
    {
        // Expected values from Go's strconv.ParseFloat(s, 64) semantics; null = Go returns an error.
        yield return Go("1", 1);
        yield return Go("-0", -0.0);
        yield return Go("+5", 5);
        yield return Go("0.1", 0.1);
        yield return Go("1.5E-7", 1.5e-7);
        yield return Go("1e+308", 1e308);
        yield return Go("1.7976931348623157e308", double.MaxValue);
        yield return Go("1.7976931348623159e308", null);
        yield return Go("4.9e-324", double.Epsilon);
        yield return Go("1e-400", 0);
        yield return Go("9007199254740993", 9007199254740992);
        yield return Go("0.30000000000000004", 0.30000000000000004);
        yield return Go("123456789012345678901234567890", 1.2345678901234568e29);
        yield return Go("2470408192.000000", 2470408192);
        yield return Go("1747146391215396732", 1747146391215396732);
        yield return Go("Inf", double.PositiveInfinity);
        yield return Go("-INF", double.NegativeInfinity);
        yield return Go("+Infinity", double.PositiveInfinity);
        yield return Go("nAn", double.NaN);
        yield return Go("-NaN", null);
        yield return Go("infin", null);
        yield return Go("", null);
        yield return Go(".", null);
        yield return Go("e5", null);
        yield return Go("1e", null);
        yield return Go("1e+", null);
        yield return Go("1..2", null);
        yield return Go("--1", null);
        yield return Go("1 ", null);
        yield return Go("\u00a01", null);
        yield return Go("1,5", null);
        // NOTE: Go accepts hex floats; we reject them (no exposer writes them).
        yield return Go("0x1p-2", null);
    }

    [TestCaseSource(nameof(GoCases))]
    public void Values_match_Go_ParseFloat(string text, double? expected)
    {
        bool ok = TextParser.TryParseValue(Encoding.UTF8.GetBytes(text), out double value, out _, out _);

        Assert.That(ok, Is.EqualTo(expected.HasValue));
        if (expected is double d)
        {
            Assert.That(BitConverter.DoubleToInt64Bits(value), Is.EqualTo(BitConverter.DoubleToInt64Bits(d)), $"{value:R} vs {d:R}");
        }
    }

    [Test]
    public void Fast_path_agrees_bit_for_bit_with_the_BCL_on_random_decimals()
    {
        var random = new Random(20250522);
        var failures = new List<string>();
        for (int i = 0; i < 200_000; i++)
        {
            string text = RandomNumber(random);
            double expected = double.Parse(text, CultureInfo.InvariantCulture);
            if (!TextParser.TryParseValue(Encoding.ASCII.GetBytes(text), out double actual, out _, out _)
                || BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected))
            {
                failures.Add($"{text}: {actual:R} != {expected:R}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCase("1747146391215396732", 1747146391215396732L)]
    [TestCase("55627776.000000", 55627776L)]
    [TestCase("0.000000", 0L)]
    [TestCase("-0", 0L)]
    [TestCase("+42", 42L)]
    [TestCase("-17", -17L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("-9223372036854775808", long.MinValue)]
    [TestCase("0000000000000000042", 42L)]
    public void Exact_integers(string text, long expected)
    {
        var parser = new TextParser(Encoding.UTF8.GetBytes("m " + text));
        Assert.That(parser.Read(), Is.True);

        bool exact = parser.TryGetExactInteger(out long value);

        Assert.That(exact, Is.True);
        Assert.That(value, Is.EqualTo(expected));
        Assert.That(parser.Value, Is.EqualTo((double)expected), "Value is the correctly rounded double");
    }

    [TestCase("9223372036854775808")]
    [TestCase("-9223372036854775809")]
    [TestCase("12345678901234567890")]
    [TestCase("1.5")]
    [TestCase("1.000001")]
    [TestCase("1e3")]
    [TestCase("NaN")]
    [TestCase("+Inf")]
    public void Not_exact_integers(string text)
    {
        var parser = new TextParser(Encoding.UTF8.GetBytes("m " + text));
        Assert.That(parser.Read() && parser.Kind == EntryKind.Sample, Is.True);

        Assert.That(parser.TryGetExactInteger(out _), Is.False);
    }

    [Test]
    public void Exact_integer_is_reset_by_the_next_entry()
    {
        var parser = new TextParser("a 5\n# HELP a x\nb 1.5\n"u8);

        Assert.That(parser.Read() && parser.TryGetExactInteger(out _), Is.True);
        Assert.That(parser.Read() && parser.TryGetExactInteger(out _), Is.False);
        Assert.That(parser.Read() && parser.TryGetExactInteger(out _), Is.False);
    }

    [TestCase("0", 0L)]
    [TestCase("1700000000123", 1700000000123L)]
    [TestCase("+5", 5L)]
    [TestCase("-5", -5L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("-9223372036854775808", long.MinValue)]
    [TestCase("9223372036854775808", null)]
    [TestCase("1.5", null)]
    [TestCase("1e3", null)]
    [TestCase("-", null)]
    public void Prometheus_timestamps_are_int64_milliseconds(string text, long? expected)
    {
        bool ok = TextParser.TryParseMilliseconds(Encoding.UTF8.GetBytes(text), out long ms);

        Assert.That(ok ? ms : (long?)null, Is.EqualTo(expected));
    }

    [TestCase("1520879607.789", 1520879607789L)]
    [TestCase("1520879607", 1520879607000L)]
    [TestCase("1.5", 1500L)]
    [TestCase("1.0019", 1001L)]
    [TestCase("-1.0019", -1001L)]
    [TestCase(".5", 500L)]
    [TestCase("2.", 2000L)]
    [TestCase("1.5e3", 1500000L)]
    [TestCase("1e-3", 1L)]
    [TestCase("NaN", null)]
    [TestCase("Inf", null)]
    [TestCase("1e300", null)]
    [TestCase("x", null)]
    [TestCase(".", null)]
    public void OpenMetrics_timestamps_are_seconds_converted_to_milliseconds(string text, long? expected)
    {
        bool ok = TextParser.TryParseSecondsAsMilliseconds(Encoding.UTF8.GetBytes(text), out long ms);

        Assert.That(ok ? ms : (long?)null, Is.EqualTo(expected));
    }

    [Test]
    public void NOTE_OpenMetrics_seconds_are_exact_where_Prometheus_float_math_loses_a_millisecond()
    {
        double prometheus = Math.Truncate(1.001 * 1000);

        bool ok = TextParser.TryParseSecondsAsMilliseconds("1.001"u8, out long ms);

        Assert.That(prometheus, Is.EqualTo(1000), "Prometheus: int64(ts * 1000)");
        Assert.That(ok && ms == 1001, Is.True);
    }

    private static TestCaseData Go(string text, double? expected) =>
        new TestCaseData(text, expected).SetName($"ParseFloat \"{text}\"");

    /// <summary>Integers, Falco-style six-place decimals, and exponent forms across the fast-path boundaries.</summary>
    private static string RandomNumber(Random random)
    {
        string sign = random.Next(4) switch { 0 => "-", 1 => "+", _ => string.Empty };
        string digits = Digits(random, random.Next(1, 22));
        switch (random.Next(4))
        {
            case 0:
                return sign + digits;
            case 1:
                return sign + digits + "." + Digits(random, 6);
            case 2:
                return sign + digits + "." + Digits(random, random.Next(1, 20));
            default:
                int exponent = random.Next(-40, 40);
                return sign + digits[..1] + "." + digits[1..] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string Digits(Random random, int count)
    {
        var text = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            text.Append((char)('0' + random.Next(10)));
        }

        return text.ToString();
    }
}
