using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>
/// OpenMetrics 1.0 strict mode, one failing and one passing body per rule, written from the specification text
/// ("OpenMetrics 1.0": Data Model, Text format, ABNF). A failing body asserts the first error's reason, line and
/// column; a passing body must read with no Invalid entry at all. <c># EOF</c> is appended unless the case is raw.
/// </summary>
internal sealed class OpenMetricsStrictTests
{
    private static readonly TextParserOptions Strict = new() { StrictOpenMetrics = true };

    public static IEnumerable<TestCaseData> Cases()
    {
        // Structure: # EOF required and last, no blank line, LF only, no BOM, no other comments, single spaces.
        yield return Bad("EOF missing", "a 1\n", ParseErrorReason.MissingEof, 2, 1, raw: true);
        yield return Good("EOF present without final newline", "a 1\n# EOF", raw: true);
        yield return Bad("data after EOF", "a 1\n# EOF\nb 2\n", ParseErrorReason.UnexpectedAfterEof, 3, 1, raw: true);
        yield return Bad("blank line after EOF", "a 1\n# EOF\n\n", ParseErrorReason.UnexpectedAfterEof, 3, 1, raw: true);
        yield return Good("EOF is last, one final newline", "a 1\n# EOF\n", raw: true);
        yield return Bad("EOF with trailing blank", "a 1\n# EOF \n", ParseErrorReason.InvalidWhitespace, 2, 6, raw: true);
        yield return Bad("blank line", "a 1\n\nb 2\n", ParseErrorReason.BlankLine, 2, 1);
        yield return Good("no blank line", "a 1\nb 2\n");
        yield return Bad("carriage return", "a 1\r\nb 2\n", ParseErrorReason.CarriageReturn, 1, 4);
        yield return Good("line feed only", "a 1\nb 2\n");
        yield return Bad("byte order mark", "\uFEFFa 1\n", ParseErrorReason.ByteOrderMark, 1, 1);
        yield return Bad("comment line", "# hello\na 1\n", ParseErrorReason.UnexpectedComment, 1, 1);
        yield return Bad("keyword without space is a comment", "#HELP a x\na 1\n", ParseErrorReason.UnexpectedComment, 1, 1);
        yield return Good("only HELP, TYPE, UNIT after #", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n# HELP a_seconds x\na_seconds 1\n");
        yield return Bad("two spaces before value", "a  1\n", ParseErrorReason.InvalidWhitespace, 1, 3);
        yield return Bad("tab before value", "a\t1\n", ParseErrorReason.InvalidWhitespace, 1, 2);
        yield return Bad("trailing space", "a 1 \n", ParseErrorReason.InvalidWhitespace, 1, 4);
        yield return Bad("leading space", " a 1\n", ParseErrorReason.InvalidWhitespace, 1, 1);
        yield return Bad("space before labels", "a {x=\"y\"} 1\n", ParseErrorReason.InvalidWhitespace, 1, 2);
        yield return Bad("space inside labels", "a{x=\"1\", z=\"2\"} 1\n", ParseErrorReason.InvalidWhitespace, 1, 9);
        yield return Bad("two spaces in TYPE", "# TYPE a  gauge\na 1\n", ParseErrorReason.InvalidWhitespace, 1, 10);
        yield return Bad("two spaces after #", "#  TYPE a gauge\na 1\n", ParseErrorReason.InvalidWhitespace, 1, 2);
        yield return Good("single spaces everywhere", "a{x=\"1 2\",z=\"  \"} 1 2\n");

        // One HELP, TYPE and UNIT per family, before its samples; families unique, contiguous and not clashing.
        yield return Bad("second HELP", "# HELP a x\n# HELP a y\na 1\n", ParseErrorReason.DuplicateMetadata, 2, 1);
        yield return Bad("second TYPE", "# TYPE a gauge\n# TYPE a gauge\na 1\n", ParseErrorReason.DuplicateMetadata, 2, 1);
        yield return Bad("second UNIT", "# TYPE a_s gauge\n# UNIT a_s s\n# UNIT a_s s\n", ParseErrorReason.DuplicateMetadata, 3, 1);
        yield return Good("one of each, any order", "# HELP a_s x\n# UNIT a_s s\n# TYPE a_s gauge\na_s 1\n");
        yield return Bad("HELP after samples", "# TYPE a gauge\na 1\n# HELP a x\n", ParseErrorReason.MetadataAfterSamples, 3, 1);
        yield return Bad("Falco style: HELP and TYPE before every sample",
            "# HELP a x\n# TYPE a gauge\na{k=\"1\"} 1\n# HELP a x\n# TYPE a gauge\na{k=\"2\"} 2\n", ParseErrorReason.MetadataAfterSamples, 4, 1);
        yield return Good("metadata then samples", "# HELP a x\n# TYPE a gauge\na{k=\"1\"} 1\na{k=\"2\"} 2\n");
        yield return Bad("family declared twice", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n", ParseErrorReason.DuplicateFamily, 5, 8);
        yield return Bad("family interleaved", "a 1\nb 1\na 2\n", ParseErrorReason.DuplicateFamily, 3, 1);
        yield return Good("families one after another", "a 1\na{x=\"1\"} 2\nb 1\n");
        yield return Bad("gauge foo_created beside counter foo", "# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n",
            ParseErrorReason.FamilyNameClash, 3, 8);
        yield return Bad("counter foo after gauge foo_total", "a_total 1\n# TYPE a counter\n", ParseErrorReason.FamilyNameClash, 2, 8);
        yield return Good("no clash", "# TYPE a counter\na_total 1\n# TYPE a_other gauge\na_other 1\n");

        // UNIT: a suffix of the family name after an underscore; empty for info and stateset.
        yield return Bad("unit not a suffix", "# TYPE a counter\n# UNIT a seconds\n", ParseErrorReason.UnitNotSuffix, 2, 10);
        yield return Bad("unit without underscore", "# TYPE aseconds gauge\n# UNIT aseconds seconds\n", ParseErrorReason.UnitNotSuffix, 2, 17);
        yield return Good("unit suffix, and empty unit", "# TYPE a_seconds counter\n# UNIT a_seconds seconds\na_seconds_total 1\n# UNIT b \nb 1\n");
        yield return Bad("unit on info", "# TYPE a_bytes info\n# UNIT a_bytes bytes\n", ParseErrorReason.UnitNotAllowed, 2, 1);

        // Labels: valid names, unique, escaping (a raw quote is the only escaping error the ABNF has), no trailing comma.
        yield return Bad("duplicate label name", "a{x=\"1\",x=\"2\"} 1\n", ParseErrorReason.DuplicateLabelName, 1, 9);
        yield return Good("distinct label names", "a{x=\"1\",y=\"2\"} 1\n");
        yield return Good("distinct names alike in length, first and last byte", "a{axb=\"1\",ayb=\"2\"} 1\n");
        yield return Bad("duplicate label name, not adjacent", "a{x=\"1\",y=\"2\",x=\"3\"} 1\n", ParseErrorReason.DuplicateLabelName, 1, 15);
        yield return Bad("label name character", "a{x-y=\"1\"} 1\n", ParseErrorReason.InvalidLabelName, 1, 4);
        yield return Good("label name characters", "a{_x9=\"1\",Y=\"2\"} 1\n");
        yield return Bad("raw quote in label value", "a{x=\"b\"c\"} 1\n", ParseErrorReason.UnescapedQuote, 1, 7);
        yield return Good("escaped quote, backslash, newline", "a{x=\"b\\\"c\\\\d\\ne\"} 1\n");
        yield return Good("NOTE: other escapes are in the ABNF (BS normal-char)", "a{x=\"\\q\"} 1\n");
        yield return Bad("raw quote in HELP", "# HELP a say \"hi\"\na 1\n", ParseErrorReason.UnescapedQuote, 1, 14);
        yield return Bad("HELP ending in a lone backslash", "# HELP a x\\\na 1\n", ParseErrorReason.InvalidHelpLine, 1, 11);
        yield return Good("escaped HELP", "# HELP a say \\\"hi\\\" \\\\ \\n\na 1\n");
        yield return Bad("trailing comma", "a{x=\"1\",} 1\n", ParseErrorReason.InvalidLabelName, 1, 9);

        // Counter: _total and _created only; value not negative, not NaN.
        yield return Bad("counter without _total", "# TYPE a counter\na 1\n", ParseErrorReason.InvalidSuffix, 2, 2);
        yield return Bad("negative counter", "# TYPE a counter\na_total -1\n", ParseErrorReason.InvalidCounterValue, 2, 9);
        yield return Bad("NaN counter", "# TYPE a counter\na_total NaN\n", ParseErrorReason.InvalidCounterValue, 2, 9);
        yield return Good("counter total and created", "# TYPE a counter\na_total 0\na_created 1.6e9\n");

        // Gauge and unknown: any value, no suffix.
        yield return Good("gauge and unknown values", "# TYPE g gauge\ng -1.5\n# TYPE u unknown\nu NaN\n");
        yield return Bad("unknown with a suffix-like sample is another family, interleaved", "# TYPE u unknown\nu 1\nu_total 1\nu 2\n",
            ParseErrorReason.DuplicateFamily, 4, 1);

        // StateSet: 0 or 1, the family name as a label.
        yield return Bad("stateset value 2", "# TYPE s stateset\ns{s=\"a\"} 2\n", ParseErrorReason.InvalidStateSetValue, 2, 10);
        yield return Bad("stateset without its label", "# TYPE s stateset\ns{x=\"a\"} 1\n", ParseErrorReason.MissingStateLabel, 2, 2);
        yield return Good("stateset", "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n");

        // Info: _info, value 1.
        yield return Bad("info value 2", "# TYPE i info\ni_info{v=\"1\"} 2\n", ParseErrorReason.InvalidInfoValue, 2, 15);
        yield return Bad("info without _info", "# TYPE i info\ni{v=\"1\"} 1\n", ParseErrorReason.InvalidSuffix, 2, 2);
        yield return Good("info", "# TYPE i info\ni_info{v=\"1\"} 1\n");

        // Histogram and gaugehistogram.
        const string H = "# TYPE h histogram\n";
        yield return Bad("bucket without le", H + "h_bucket 1\n", ParseErrorReason.MissingBucketLabel, 2, 9);
        yield return Bad("le not a number", H + "h_bucket{le=\"x\"} 1\n", ParseErrorReason.InvalidBucketLabel, 2, 14);
        yield return Bad("le NaN", H + "h_bucket{le=\"NaN\"} 1\n", ParseErrorReason.InvalidBucketLabel, 2, 14);
        yield return Bad("le not ascending", H + "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n", ParseErrorReason.BucketsNotAscending, 3, 14);
        yield return Bad("buckets not cumulative", H + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n", ParseErrorReason.BucketsNotCumulative, 3, 21);
        yield return Bad("no +Inf bucket", H + "h_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n", ParseErrorReason.MissingInfBucket, 4, 1);
        yield return Bad("no +Inf bucket, next point begins", H + "h_bucket{a=\"1\",le=\"1\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 1\n",
            ParseErrorReason.MissingInfBucket, 2, 1);
        yield return Bad("count differs from +Inf", H + "h_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n", ParseErrorReason.CountMismatch, 3, 9);
        yield return Bad("count before buckets differs", H + "h_count 3\nh_sum 1\nh_bucket{le=\"+Inf\"} 2\n", ParseErrorReason.CountMismatch, 2, 1);
        yield return Bad("sum without count", H + "h_bucket{le=\"+Inf\"} 2\nh_sum 1\n", ParseErrorReason.SumCountPairing, 3, 1);
        yield return Bad("negative threshold with sum", H + "h_bucket{le=\"-1\"} 0\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1\n",
            ParseErrorReason.SumWithNegativeBuckets, 5, 1);
        yield return Bad("negative bucket count", H + "h_bucket{le=\"+Inf\"} -1\n", ParseErrorReason.InvalidBucketValue, 2, 21);
        yield return Bad("fractional bucket count", H + "h_bucket{le=\"+Inf\"} 1.5\n", ParseErrorReason.InvalidBucketValue, 2, 21);
        yield return Bad("le on _count", H + "h_bucket{le=\"+Inf\"} 1\nh_count{le=\"1\"} 1\n", ParseErrorReason.ReservedLabel, 3, 13);
        yield return Good("histogram with exemplars",
            H + "h_bucket{le=\"0.1\"} 8 # {} 0.054\nh_bucket{le=\"1\"} 11 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n" +
            "h_bucket{le=\"10\"} 17 # {trace_id=\"oHg5SJYRHA0\"} 9.8 1520879607.789\nh_bucket{le=\"+Inf\"} 17\nh_count 17\nh_sum 324789.3\nh_created 1520430000.123\n");
        yield return Good("histogram, negative thresholds and no sum, two points",
            H + "h_bucket{a=\"1\",le=\"-1\"} 0\nh_bucket{a=\"1\",le=\"+Inf\"} 2\nh_bucket{a=\"2\",le=\"+Inf\"} 0\n");
        const string G = "# TYPE g gaugehistogram\n";
        yield return Bad("gcount differs from +Inf", G + "g_bucket{le=\"+Inf\"} 2\ng_gcount 3\ng_gsum 1\n", ParseErrorReason.CountMismatch, 3, 10);
        yield return Good("gaugehistogram, negative gsum", G + "g_bucket{le=\"-1\"} 1\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum -3\n");

        // Summary: quantile in [0, 1], quantile values not negative, _count and _sum counters.
        const string S = "# TYPE s summary\n";
        yield return Bad("quantile above 1", S + "s{quantile=\"1.5\"} 1\n", ParseErrorReason.InvalidQuantile, 2, 13);
        yield return Bad("quantile not a number", S + "s{quantile=\"x\"} 1\n", ParseErrorReason.InvalidQuantile, 2, 13);
        yield return Bad("negative quantile value", S + "s{quantile=\"0.5\"} -1\n", ParseErrorReason.InvalidQuantile, 2, 19);
        yield return Bad("negative summary count", S + "s_count -1\n", ParseErrorReason.InvalidSummaryValue, 2, 9);
        yield return Bad("fractional summary count", S + "s_count 1.5\n", ParseErrorReason.InvalidSummaryValue, 2, 9);
        yield return Bad("quantile on _sum", S + "s_sum{quantile=\"0.5\"} 1\n", ParseErrorReason.ReservedLabel, 2, 17);
        yield return Good("summary", S + "s{quantile=\"0.95\"} 123.7\ns{quantile=\"0.99\"} NaN\ns_count 17\ns_sum 324789.3\ns_created 1520430000.123\n");

        // Timestamps: float seconds; a series' points have increasing timestamps; a series without them appears once.
        yield return Bad("timestamp going backwards", "a 1 2\na 1 1\n", ParseErrorReason.TimestampNotIncreasing, 2, 5);
        yield return Bad("series repeated without timestamps", "a 1\na 2\n", ParseErrorReason.DuplicateSample, 2, 1);
        yield return Bad("timestamp not a number", "a 1 NaN\n", ParseErrorReason.InvalidTimestamp, 1, 5);
        yield return Good("increasing float-second timestamps", "a 1 1\na 2 2.5\na{x=\"1\"} 3 1e3\n");

        // Metrics and MetricPoints (OpenMetrics 1.0, Text format): a Metric is a family's samples sharing the labels other
        // than the point's own (le, quantile, the stateset label); a MetricPoint is a run of its samples with one timestamp.
        // "If more than one MetricPoint is exposed for a Metric, then its MetricPoints MUST have monotonically increasing
        // timestamps" (Data Model, Metric): each point of a histogram starts its buckets again.
        yield return Good("'MetricPoints MUST have monotonically increasing timestamps': two timestamped histogram points",
            H + "h_bucket{le=\"1\"} 0 1\nh_bucket{le=\"+Inf\"} 1 1\nh_count 1 1\nh_sum 2 1\n" +
            "h_bucket{le=\"1\"} 0 2\nh_bucket{le=\"+Inf\"} 1 2\nh_count 1 2\nh_sum 2 2\n");
        yield return Good("'MetricPoints MUST have monotonically increasing timestamps': two metrics of two histogram points each",
            H + "h_bucket{a=\"1\",le=\"+Inf\"} 1 1\nh_count{a=\"1\"} 1 1\nh_sum{a=\"1\"} 1 1\n" +
            "h_bucket{a=\"1\",le=\"+Inf\"} 2 2\nh_count{a=\"1\"} 2 2\nh_sum{a=\"1\"} 3 2\n" +
            "h_bucket{a=\"2\",le=\"+Inf\"} 0 1\nh_bucket{a=\"2\",le=\"+Inf\"} 0 2\n");
        yield return Bad("a later histogram point is checked as a point of its own",
            H + "h_bucket{le=\"+Inf\"} 1 1\nh_count 1 1\nh_sum 1 1\nh_bucket{le=\"+Inf\"} 2 2\nh_count 3 2\nh_sum 1 2\n", ParseErrorReason.CountMismatch, 6, 9);
        yield return Good("'MetricPoints MUST have monotonically increasing timestamps': two timestamped summary points with quantiles",
            S + "s{quantile=\"0.5\"} 1 1\ns_count 3 1\ns_sum 4 1\ns{quantile=\"0.5\"} 2 2\ns_count 4 2\ns_sum 5 2\n");
        yield return Good("spec example 'A correct example where there were multiple MetricPoints and Samples within a MetricFamily'",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\nfoo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_sum{a=\"bb\"} 0 123\n" +
            "foo_seconds_count{a=\"bb\"} 0 456\nfoo_seconds_sum{a=\"bb\"} 0 456\nfoo_seconds_count{a=\"ccc\"} 0 123\n" +
            "foo_seconds_sum{a=\"ccc\"} 0 123\nfoo_seconds_count{a=\"ccc\"} 0 456\nfoo_seconds_sum{a=\"ccc\"} 0 456\n");
        yield return Bad("spec example 'An incorrect example where Metrics are interleaved' ('Metrics MUST NOT be interleaved')",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\nfoo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_count{a=\"ccc\"} 0 123\n" +
            "foo_seconds_count{a=\"bb\"} 0 456\nfoo_seconds_count{a=\"ccc\"} 0 456\n", ParseErrorReason.MetricInterleaved, 5, 1);
        yield return Bad("spec example 'An incorrect example where MetricPoints are interleaved' ('MetricPoints MUST NOT be interleaved')",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\nfoo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_count{a=\"bb\"} 0 456\n" +
            "foo_seconds_sum{a=\"bb\"} 0 123\nfoo_seconds_sum{a=\"bb\"} 0 456\n", ParseErrorReason.MetricPointInterleaved, 5, 27);
        yield return Bad("'Metrics MUST NOT be interleaved': a family of type unknown",
            "count{a=\"bb\"} 0 123\ncount{a=\"ccc\"} 0 123\ncount{a=\"bb\"} 0 456\n", ParseErrorReason.MetricInterleaved, 3, 1);
        yield return Bad("'Metrics MUST NOT be interleaved': stateset, the state label aside",
            "# TYPE s stateset\ns{e=\"c\",s=\"a\"} 1\ns{e=\"r\",s=\"a\"} 1\ns{e=\"c\",s=\"b\"} 0\n", ParseErrorReason.MetricInterleaved, 4, 1);
        yield return Good("stateset metrics one after another (the spec's entity example)",
            "# TYPE s stateset\ns{e=\"c\",s=\"a\"} 1\ns{e=\"c\",s=\"b\"} 0\ns{e=\"r\",s=\"a\"} 1\ns{e=\"r\",s=\"b\"} 0\n");
        yield return Bad("'Metrics MUST NOT be interleaved': histogram, the le label aside",
            H + "h_bucket{a=\"1\",le=\"+Inf\"} 0\nh_bucket{a=\"2\",le=\"+Inf\"} 0\nh_count{a=\"1\"} 0\nh_sum{a=\"1\"} 0\n", ParseErrorReason.MetricInterleaved, 4, 1);
        yield return Bad("'MetricPoints MUST NOT be interleaved': counter _created of an earlier point",
            "# TYPE c counter\nc_total 1 1\nc_total 2 2\nc_created 0 1\n", ParseErrorReason.MetricPointInterleaved, 4, 13);
        yield return Good("counter total and created in each of two points", "# TYPE c counter\nc_total 1 1\nc_created 0 1\nc_total 2 2\nc_created 0 2\n");
        yield return Bad("'MetricPoints MUST have monotonically increasing timestamps': a sample of the metric without one",
            "# TYPE c counter\nc_total 1 1\nc_created 0\n", ParseErrorReason.MixedTimestamps, 3, 1);

        // Exemplars: only on counter _total and histogram _bucket, at most 128 code points of labels.
        yield return Bad("exemplar on a gauge", "# TYPE g gauge\ng 1 # {t=\"x\"} 1\n", ParseErrorReason.ExemplarNotAllowed, 2, 5);
        yield return Bad("exemplar of 129 code points", "# TYPE c counter\nc_total 1 # {t=\"" + new string('é', 128) + "\"} 1\n",
            ParseErrorReason.ExemplarTooLong, 2, 13);
        yield return Good("exemplar of 128 code points on _total", "# TYPE c counter\nc_total 1 # {t=\"" + new string('é', 127) + "\"} 1 2\n");
        yield return Bad("exemplar with two spaces", "# TYPE c counter\nc_total 1 # {}  1\n", ParseErrorReason.InvalidWhitespace, 2, 16);

        // Numbers: realnumber, [+-]Inf/Infinity and NaN; no hex, no signed NaN.
        yield return Bad("hex value", "a 0x1p3\n", ParseErrorReason.InvalidValue, 1, 3);
        yield return Bad("signed NaN", "a +NaN\n", ParseErrorReason.InvalidValue, 1, 3);
        yield return Good("number forms", "a +Inf\nb -Inf\nc NaN\nd +1.5e3\ne .5\nf 5.\ng infinity\nh 0042\n");
    }

    [TestCaseSource(nameof(Cases))]
    public void Strict_OpenMetrics(string body, ParseErrorReason reason, int line, int column)
    {
        var parser = new TextParser(Encoding.UTF8.GetBytes(body), TextFormat.OpenMetrics, Strict);
        ParseError? first = null;
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Invalid)
            {
                first ??= parser.Error;
            }
        }

        if (reason == ParseErrorReason.None)
        {
            Assert.That(first, Is.Null, first?.Message);
            return;
        }

        Assert.That(first, Is.Not.Null, "no error");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first!.Value.Reason, Is.EqualTo(reason), first.Value.Message);
            Assert.That(first.Value.Line, Is.EqualTo(line), first.Value.Message);
            Assert.That(first.Value.Column, Is.EqualTo(column), first.Value.Message);
            Assert.That(first.Value.Message, Does.EndWith($"line {line}, column {column}"));
        }
    }

    [Test]
    public void Lenient_OpenMetrics_still_accepts_what_strict_mode_rejects()
    {
        // The same Falco-style body: strict mode fails it, the default (lenient) reading does not.
        byte[] body = "# HELP a x\n# TYPE a gauge\na{k=\"1\"} 1\n\n# HELP a x\n# TYPE a gauge\na{k=\"2\"} 2\n# EOF\n"u8.ToArray();
        Assert.That(InvalidLines(body, TextParserOptions.Default), Is.Zero);
        Assert.That(InvalidLines(body, Strict), Is.GreaterThan(0));
    }

    [Test]
    public void Strict_flag_changes_nothing_for_Prometheus_text()
    {
        byte[] body = "# HELP a x\n\n# TYPE a gauge\n# comment\na{k=\"1\"}  1\r\na{k=\"1\"} 2\n"u8.ToArray();
        var lenient = ParsedEntry.ParseAll(Encoding.UTF8.GetString(body));
        var parser = new TextParser(body, TextFormat.Prometheus, Strict);
        var strict = new List<ParsedEntry>();
        while (parser.Read())
        {
            strict.Add(ParsedEntry.From(ref parser));
        }

        Assert.That(strict, Is.EqualTo(lenient));
        Assert.That(strict.Count(e => e.Kind == EntryKind.Invalid), Is.Zero);
    }

    private static int InvalidLines(byte[] body, TextParserOptions options)
    {
        var parser = new TextParser(body, TextFormat.OpenMetrics, options);
        while (parser.Read())
        {
        }

        return parser.InvalidLines;
    }

    private static TestCaseData Bad(string name, string body, ParseErrorReason reason, int line, int column, bool raw = false) =>
        new TestCaseData(raw ? body : body + "# EOF\n", reason, line, column).SetName($"{reason}: {name}");

    private static TestCaseData Good(string name, string body, bool raw = false) =>
        new TestCaseData(raw ? body : body + "# EOF\n", ParseErrorReason.None, 0, 0).SetName($"valid: {name}");
}
