using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>Accessors that the entry tables do not show: raw slices, flags, counters, options.</summary>
internal sealed class TextParserAccessorTests
{
    [Test]
    public void Sample_exposes_raw_series_name_and_label_flags()
    {
        var parser = new TextParser("  foo { a=\"x\\\"y\" ,b=\"{\"k\":1}\"} 2 3\n"u8);

        Assert.That(parser.Read(), Is.True);
        var labels = new List<(string, string, bool, bool)>();
        foreach (Label label in parser.Labels)
        {
            labels.Add((Encoding.UTF8.GetString(label.Name), Encoding.UTF8.GetString(label.Value), label.ValueIsEscaped, label.ValueHasRawQuotes));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(parser.MetricName), Is.EqualTo("foo"));
            Assert.That(Encoding.UTF8.GetString(parser.Series), Is.EqualTo("foo { a=\"x\\\"y\" ,b=\"{\"k\":1}\"}"));
            Assert.That(labels, Is.EqualTo(new[] { ("a", "x\\\"y", true, false), ("b", "{\"k\":1}", false, true) }));
            Assert.That(parser.LabelCount, Is.EqualTo(2));
            Assert.That(parser.HasTimestamp, Is.True);
            Assert.That(parser.Timestamp, Is.EqualTo(3));
            Assert.That(parser.HelpText.IsEmpty && parser.UnitText.IsEmpty, Is.True);
        }
    }

    [Test]
    public void Help_and_type_expose_the_family_and_no_sample_data()
    {
        var parser = new TextParser("# HELP fam the help\n# TYPE fam counter\nfam_total 1\n"u8);

        Assert.That(parser.Read(), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.Kind, Is.EqualTo(EntryKind.Help));
            Assert.That(Encoding.UTF8.GetString(parser.MetricName), Is.EqualTo("fam"));
            Assert.That(Encoding.UTF8.GetString(parser.HelpText), Is.EqualTo("the help"));
            Assert.That(parser.Series.IsEmpty, Is.True);
            Assert.That(parser.LabelCount, Is.Zero);
        }

        Assert.That(parser.Read(), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.Kind, Is.EqualTo(EntryKind.Type));
            Assert.That(parser.Type, Is.EqualTo(MetricType.Counter));
            Assert.That(parser.HelpText.IsEmpty, Is.True);
        }

        Assert.That(parser.Read(), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.Type, Is.EqualTo(MetricType.Unknown), "Type only on Type entries");
            Assert.That(Encoding.UTF8.GetString(parser.Series), Is.EqualTo("fam_total"));
            Assert.That(parser.HasTimestamp, Is.False);
        }

        var labels = parser.Labels;
        Assert.That(labels.MoveNext(), Is.False, "a sample without braces has no labels");
    }

    [Test]
    public void Kind_is_None_before_and_Eof_after()
    {
        var parser = new TextParser("a 1"u8);
        Assert.That(parser.Kind, Is.EqualTo(EntryKind.None));

        Assert.That(parser.Read() && !parser.Read(), Is.True);

        Assert.That(parser.Kind, Is.EqualTo(EntryKind.Eof));
        Assert.That(parser.Read(), Is.False);
    }

    [Test]
    public void Empty_body_has_no_entries()
    {
        var parser = new TextParser(ReadOnlySpan<byte>.Empty);

        Assert.That(parser.Read(), Is.False);
        Assert.That(parser.LineNumber, Is.Zero);
    }

    [Test]
    public void Options_zero_means_default_and_negative_is_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new TextParserOptions(), Is.EqualTo(TextParserOptions.Default));
            Assert.That(TextParserOptions.Default.MaxLineBytes, Is.EqualTo(64 * 1024));
            Assert.That(TextParserOptions.Default.MaxLabelsPerSeries, Is.EqualTo(64));
            Assert.That(TextParserOptions.Default.MaxLabelNameBytes, Is.EqualTo(1024));
            Assert.That(TextParserOptions.Default.MaxLabelValueBytes, Is.EqualTo(16 * 1024));
            Assert.That(TextParserOptions.Default.ThrowOnInvalid, Is.False);
        }

        byte[] longLine = Encoding.UTF8.GetBytes("a{b=\"" + new string('x', 20_000) + "\"} 1");
        Assert.That(ParsedEntry.ParseAll(longLine, TextFormat.Prometheus, default)[0].Text, Is.EqualTo("LabelValueTooLong@6"), "default(options) gets the 16 KiB default");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TextParser(longLine, options: new TextParserOptions(MaxLineBytes: -1)));
    }

    [Test]
    public void Invalid_UTF8_in_a_comment_costs_nothing_and_other_lines_are_still_checked()
    {
        // 0xE9 alone is Latin-1 'é', not UTF-8; "é" in the sample line is the valid UTF-8 pair C3 A9.
        byte[] body = [.. "# caf"u8, 0xE9, .. "\na{b=\"é\"} 1\nc{d=\""u8, 0xFF, .. "\"} 2\ne 3\n"u8];

        List<ParsedEntry> entries = ParsedEntry.ParseAll(body, TextFormat.Prometheus, default);

        Assert.That(entries.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "Comment@1 ",
            "Sample@2 a{b=\"é\"} 1",
            "Invalid@3  [InvalidUtf8@6]",
            "Sample@4 e 3",
        }));
    }

    [TestCase("plain", "plain")]
    [TestCase("a\\\\b", "a\\b")]
    [TestCase("q\\\"q", "q\"q")]
    [TestCase("n\\nn", "n\nn")]
    [TestCase("t\\tt", "t\\tt")]
    [TestCase("raw \"quote\"", "raw \"quote\"")]
    [TestCase("trailing\\", "trailing\\")]
    [TestCase("é\\n", "é\n")]
    public void UnescapeLabelValue_decodes_only_the_three_escapes(string raw, string expected)
    {
        Assert.That(TextParser.UnescapeLabelValue(Encoding.UTF8.GetBytes(raw)), Is.EqualTo(expected));
    }

    [Test]
    public void UnescapeLabelValue_handles_values_larger_than_the_stack_buffer()
    {
        string raw = string.Concat(Enumerable.Repeat("ab\\\\", 1000));

        Assert.That(TextParser.UnescapeLabelValue(Encoding.UTF8.GetBytes(raw)), Is.EqualTo(string.Concat(Enumerable.Repeat("ab\\", 1000))));
    }
}
