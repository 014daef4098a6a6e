using System.Text;
using FalcoCheck.Parsing;
using static FalcoCheck.Tests.Parsing.ParsedEntry;

namespace FalcoCheck.Tests.Parsing;

/// <summary>
/// Broken lines: reason, line, byte column and message; each is followed by a good line that must still parse,
/// so one bad line loses only itself.
/// </summary>
internal sealed class TextParserErrorTests
{
    private const string GoodLine = "ok{a=\"b\"} 1\n";

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("dash in metric name", "foo-bar 1", ParseErrorReason.InvalidMetricName, 4, "\"foo-bar\"");
        yield return Case("metric name starts with a digit", "1foo 1", ParseErrorReason.InvalidMetricName, 1, "\"1foo\"");
        yield return Case("non-printable byte quoted as 0xNN", "foo\u0001 1", ParseErrorReason.InvalidMetricName, 4, "\"foo0x01\"");
        yield return Case("label name starts with a digit", "foo{1a=\"b\"} 1", ParseErrorReason.InvalidLabelName, 5, "\"foo{1a=\\\"b\\\"}\"");
        yield return Case("dash in label name", "foo{a-b=\"c\"} 1", ParseErrorReason.InvalidLabelName, 6, "foo{a-b");
        yield return Case("comma before first label", "foo{,a=\"b\"} 1", ParseErrorReason.InvalidLabelName, 5, "foo{,a");
        yield return Case("label without equals", "foo{a \"b\"} 1", ParseErrorReason.ExpectedLabelEquals, 7, "\\\"b\\\"}");
        yield return Case("unquoted label value", "foo{a=b} 1", ParseErrorReason.ExpectedLabelValue, 7, "foo{a=b}");
        yield return Case("unterminated label value", "foo{a=\"b} 1", ParseErrorReason.UnterminatedLabelValue, 7, "foo{a=\\\"b}");
        yield return Case("backslash at end of value", "foo{a=\"b\\", ParseErrorReason.UnterminatedLabelValue, 7, "foo{a=");
        yield return Case("label set not closed", "foo{a=\"b\"", ParseErrorReason.UnterminatedLabelSet, 10, "foo{a=");
        yield return Case("label set ends after comma", "foo{a=\"b\",", ParseErrorReason.UnterminatedLabelSet, 11, "foo{a=");
        yield return Case("label set only opened", "foo{", ParseErrorReason.UnterminatedLabelSet, 5, "\"foo{\"");
        yield return Case("NOTE: value glued to the brace", "foo{a=\"b\"}1", ParseErrorReason.UnterminatedLabelValue, 7, "foo{a=");
        yield return Case("missing value after labels", "foo{a=\"b\"}", ParseErrorReason.MissingValue, 11, "\"foo{a=\\\"b\\\"}\"");
        yield return Case("missing value after name", "foo  ", ParseErrorReason.MissingValue, 6, "\"foo\"");
        yield return Case("word as value", "foo abc", ParseErrorReason.InvalidValue, 5, "\"abc\"");
        yield return Case("two dots", "foo 1.2.3", ParseErrorReason.InvalidValue, 5, "\"1.2.3\"");
        yield return Case("exponent without digits", "foo 1e", ParseErrorReason.InvalidValue, 5, "\"1e\"");
        yield return Case("lone sign", "foo -", ParseErrorReason.InvalidValue, 5, "\"-\"");
        yield return Case("signed NaN (Go rejects it)", "foo +NaN", ParseErrorReason.InvalidValue, 5, "\"+NaN\"");
        yield return Case("out of range value (Go ErrRange)", "foo 1e999", ParseErrorReason.InvalidValue, 5, "\"1e999\"");
        yield return Case("NOTE: hex float (Go accepts it)", "foo 0x1p3", ParseErrorReason.InvalidValue, 5, "\"0x1p3\"");
        yield return Case("underscore in value", "foo 1_000", ParseErrorReason.InvalidValue, 5, "\"1_000\"");
        yield return Case("word as timestamp", "foo 1 abc", ParseErrorReason.InvalidTimestamp, 7, "\"abc\"");
        yield return Case("float timestamp in Prometheus text", "foo 1 1.5", ParseErrorReason.InvalidTimestamp, 7, "\"1.5\"");
        yield return Case("timestamp beyond int64", "foo 1 9223372036854775808", ParseErrorReason.InvalidTimestamp, 7, "9223372036854775808");
        yield return Case("exemplar in Prometheus text", "foo 1 # {a=\"b\"} 1", ParseErrorReason.InvalidTimestamp, 7, "\"#\"");
        yield return Case("text after timestamp", "foo 1 2 3", ParseErrorReason.UnexpectedText, 9, "\"3\"");
        yield return Case("unknown type", "# TYPE foo gauges", ParseErrorReason.InvalidTypeLine, 12, "\"gauges\"");
        yield return Case("OpenMetrics type in Prometheus text", "# TYPE foo stateset", ParseErrorReason.InvalidTypeLine, 12, "\"stateset\"");
        yield return Case("type is case-sensitive", "# TYPE foo Gauge", ParseErrorReason.InvalidTypeLine, 12, "\"Gauge\"");
        yield return Case("TYPE without type", "# TYPE foo", ParseErrorReason.InvalidTypeLine, 11, "\"foo\"");
        yield return Case("TYPE with extra word", "# TYPE foo gauge extra", ParseErrorReason.InvalidTypeLine, 18, "\"extra\"");
        yield return Case("TYPE with bad name", "# TYPE foo-bar gauge", ParseErrorReason.InvalidMetricName, 11, "\"foo-bar\"");
        yield return Case("HELP without name", "# HELP ", ParseErrorReason.InvalidHelpLine, 8, "\"HELP\"");
        yield return Case("HELP with bad name", "# HELP 1foo text", ParseErrorReason.InvalidMetricName, 8, "\"1foo\"");
        yield return Case("invalid UTF-8 in a label value", Latin1("foo{a=\"\u00ff\"} 1"), ParseErrorReason.InvalidUtf8, 8, "0xFF");
        yield return Case("invalid UTF-8 in HELP", Latin1("# HELP foo caf\u00e9"), ParseErrorReason.InvalidUtf8, 15, "caf0xE9");
        yield return Case("valid UTF-8 is fine, bad column counts bytes", "f{a=\"é\"} x", ParseErrorReason.InvalidValue, 11, "\"x\"");

        var small = new TextParserOptions(MaxLineBytes: 16, MaxLabelsPerSeries: 2, MaxLabelNameBytes: 3, MaxLabelValueBytes: 3);
        yield return Case("line too long", "foo{a=\"bbbbbbbbbbbbbbbb\"} 1", ParseErrorReason.LineTooLong, 17, "bbbb", options: small with { MaxLabelValueBytes = 100 });
        yield return Case("too many labels", "f{a=\"1\",b=\"2\",c=\"3\"} 1", ParseErrorReason.TooManyLabels, 15, "c=", options: small with { MaxLineBytes = 100 });
        yield return Case("label name too long", "foo{abcd=\"1\"} 1", ParseErrorReason.LabelNameTooLong, 5, "abcd", options: small);
        yield return Case("label value too long", "foo{a=\"1234\"} 1", ParseErrorReason.LabelValueTooLong, 8, "1234", options: small);

        yield return Case("OpenMetrics: exemplar without value", "foo 1 # {a=\"b\"}", ParseErrorReason.InvalidExemplar, 16, "\"{a=\\\"b\\\"}\"", TextFormat.OpenMetrics);
        yield return Case("OpenMetrics: exemplar without braces", "foo 1 # x 1", ParseErrorReason.InvalidExemplar, 9, "\"x\"", TextFormat.OpenMetrics);
        yield return Case("OpenMetrics: exemplar with bad timestamp", "foo 1 # {} 1 x", ParseErrorReason.InvalidExemplar, 14, "\"x\"", TextFormat.OpenMetrics);
        yield return Case("OpenMetrics: NaN timestamp", "foo 1 NaN", ParseErrorReason.InvalidTimestamp, 7, "\"NaN\"", TextFormat.OpenMetrics);
        yield return Case("OpenMetrics: bad UNIT", "# UNIT foo sec onds", ParseErrorReason.InvalidUnitLine, 16, "\"onds\"", TextFormat.OpenMetrics);
    }

    [TestCaseSource(nameof(Cases))]
    public void Reports_line_column_and_fragment_then_resumes(
        byte[] badLine, ParseErrorReason reason, int column, string fragment, TextFormat format, TextParserOptions options)
    {
        byte[] body = [.. "ok 0\n"u8, .. badLine, (byte)'\n', .. Encoding.UTF8.GetBytes(GoodLine)];
        string eof = format == TextFormat.OpenMetrics ? "# EOF\n" : string.Empty;
        body = [.. body, .. Encoding.UTF8.GetBytes(eof)];

        var parser = new TextParser(body, format, options);
        Assert.That(parser.Read() && parser.Kind == EntryKind.Sample, Is.True, "line before");
        Assert.That(parser.Read(), Is.True);
        ParseError error = parser.Error;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.Kind, Is.EqualTo(EntryKind.Invalid));
            Assert.That(parser.LineNumber, Is.EqualTo(2));
            Assert.That(error.Reason, Is.EqualTo(reason), error.Message);
            Assert.That(error.Line, Is.EqualTo(2));
            Assert.That(error.Column, Is.EqualTo(column), error.Message);
            Assert.That(error.Message, Does.Contain(fragment));
            Assert.That(error.Message, Does.EndWith($"line 2, column {column}"));
            Assert.That(parser.MetricName.IsEmpty && parser.Series.IsEmpty && parser.LabelCount == 0, Is.True, "no sample data on Invalid");
        }

        Assert.That(parser.Read(), Is.True, "line after");
        Assert.That(ParsedEntry.From(ref parser), Is.EqualTo(Sample(3, "ok", 1, ("a", "b"))));
        Assert.That(parser.Read(), Is.False, "nothing else");
        Assert.That(parser.InvalidLines, Is.EqualTo(1));
    }

    [Test]
    public void OpenMetrics_data_after_EOF_is_one_invalid_entry_then_the_end()
    {
        List<ParsedEntry> entries = ParseAll("a 1\n# EOF\n\nb 2\nc 3\n", TextFormat.OpenMetrics);

        Assert.That(entries, Is.EqualTo(new[] { Sample(1, "a", 1), Invalid(4, ParseErrorReason.UnexpectedAfterEof, 1) }));
    }

    [Test]
    public void OpenMetrics_without_EOF_reports_it_after_the_last_line()
    {
        var parser = new TextParser("a 1\nb 2\n"u8, TextFormat.OpenMetrics);
        Assert.That(parser.Read() && parser.Read(), Is.True);

        Assert.That(parser.Read(), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.Kind, Is.EqualTo(EntryKind.Invalid));
            Assert.That(parser.Error.Reason, Is.EqualTo(ParseErrorReason.MissingEof));
            Assert.That(parser.Error.Message, Is.EqualTo("OpenMetrics input does not end with # EOF, line 3, column 1"));
        }
        Assert.That(parser.Read(), Is.False);
        Assert.That(parser.Read(), Is.False, "stays at the end");
        Assert.That(parser.Kind, Is.EqualTo(EntryKind.Eof));
    }

    [Test]
    public void Long_fragments_are_cut_around_the_error()
    {
        string line = "foo{a=\"" + new string('x', 200) + "\"} " + new string('y', 100);
        var parser = new TextParser(Encoding.UTF8.GetBytes(line));
        Assert.That(parser.Read(), Is.True);

        Assert.That(parser.Error.Message, Is.EqualTo("invalid sample value: \"" + new string('y', 48) + "\"..., line 1, column 211"));
    }

    [Test]
    public void Every_reason_has_its_own_description()
    {
        ParseErrorReason[] reasons = Enum.GetValues<ParseErrorReason>().Where(r => r != ParseErrorReason.None).ToArray();

        string[] descriptions = reasons.Select(ParseErrorFormatter.Describe).ToArray();

        Assert.That(descriptions, Is.Unique);
        Assert.That(descriptions, Has.None.EqualTo(ParseErrorFormatter.Describe(ParseErrorReason.None)));
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static TestCaseData Case(
        string name, string line, ParseErrorReason reason, int column, string fragment,
        TextFormat format = TextFormat.Prometheus, TextParserOptions options = default) =>
        Case(name, Encoding.UTF8.GetBytes(line), reason, column, fragment, format, options);

    private static TestCaseData Case(
        string name, byte[] line, ParseErrorReason reason, int column, string fragment,
        TextFormat format = TextFormat.Prometheus, TextParserOptions options = default) =>
        new TestCaseData(line, reason, column, fragment, format, options).SetName(name);
}
