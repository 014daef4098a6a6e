using FalcoCheck.Parsing;
using static FalcoCheck.Tests.Parsing.ParsedEntry;

namespace FalcoCheck.Tests.Parsing;

/// <summary>Whole entry sequences for tricky but valid inputs (Prometheus textparse's testParse style).</summary>
internal sealed class TextParserEntryTests
{
    private const TextFormat Prom = TextFormat.Prometheus;
    private const TextFormat OM = TextFormat.OpenMetrics;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("labels and no trailing newline", Prom, "foo{a=\"b\",c=\"d\"} 1",
            Sample(1, "foo", 1, ("a", "b"), ("c", "d")));
        yield return Case("escapes in label values are decoded on request", Prom,
            "foo{a=\"x\\\\y\",b=\"say \\\"hi\\\"\",c=\"one\\ntwo\",d=\"\\t kept\"} 1\n",
            Sample(1, "foo", 1, ("a", "x\\y"), ("b", "say \"hi\""), ("c", "one\ntwo"), ("d", "\\t kept")));
        yield return Case("NaN, Inf and signed infinities in Go's spellings", Prom,
            "a NaN\nb +Inf\nc -Inf\nd Inf\ne inf\nf -infinity\ng nan\n",
            Sample(1, "a", double.NaN), Sample(2, "b", double.PositiveInfinity), Sample(3, "c", double.NegativeInfinity),
            Sample(4, "d", double.PositiveInfinity), Sample(5, "e", double.PositiveInfinity),
            Sample(6, "f", double.NegativeInfinity), Sample(7, "g", double.NaN));
        yield return Case("millisecond timestamps, negative included", Prom,
            "foo 1 1700000000123\nbar{a=\"b\"} 2.5 -5\n",
            Sample(1, "foo", 1, 1700000000123), Sample(2, "bar", 2.5, -5, ("a", "b")));
        yield return Case("empty label set", Prom, "foo{} 1\n", Sample(1, "foo", 1));
        yield return Case("trailing comma in labels", Prom, "foo{a=\"b\",} 1\n", Sample(1, "foo", 1, ("a", "b")));
        yield return Case("blanks around braces, equals and commas", Prom,
            "foo { a = \"b\" , c=\"d\" , } 1\n", Sample(1, "foo", 1, ("a", "b"), ("c", "d")));
        yield return Case("blank lines, leading and trailing blanks", Prom,
            "\n   \n\t foo 1 \t\n\nbar 2 123   \n",
            Sample(3, "foo", 1), Sample(5, "bar", 2, 123));
        yield return Case("CRLF line endings", Prom,
            "# HELP foo Some help\r\n# TYPE foo gauge\r\nfoo{a=\"b\"} 1\r\nbar 2 5\r\n",
            Help(1, "foo", "Some help"), Type(2, "foo", MetricType.Gauge), Sample(3, "foo", 1, ("a", "b")), Sample(4, "bar", 2, 5));
        yield return Case("repeated and non-contiguous HELP/TYPE, as Falco writes", Prom,
            "# HELP x_total https://falco.org/docs/metrics/\n# TYPE x_total counter\nx_total{a=\"1\"} 1\n"
            + "# HELP y https://falco.org/docs/metrics/\n# TYPE y gauge\ny 2\n"
            + "# HELP x_total https://falco.org/docs/metrics/\n# TYPE x_total counter\nx_total{a=\"2\"} 3\n",
            Help(1, "x_total", "https://falco.org/docs/metrics/"), Type(2, "x_total", MetricType.Counter), Sample(3, "x_total", 1, ("a", "1")),
            Help(4, "y", "https://falco.org/docs/metrics/"), Type(5, "y", MetricType.Gauge), Sample(6, "y", 2),
            Help(7, "x_total", "https://falco.org/docs/metrics/"), Type(8, "x_total", MetricType.Counter), Sample(9, "x_total", 3, ("a", "2")));
        yield return Case("HELP text is raw, starts after one blank, may be empty", Prom,
            "# HELP a  two\\\\ spaces\\n \n# HELP b\n#  HELP\tc tabbed\n",
            Help(1, "a", " two\\\\ spaces\\n "), Help(2, "b", string.Empty), Help(3, "c", "tabbed"));
        yield return Case("comments, and HELP/TYPE lookalikes that are comments", Prom,
            "# a comment\n#no blank\n#\n# HELP\n# HELPER x y\n# TYPE\n# EOF\n# UNIT foo seconds\n",
            Comment(1), Comment(2), Comment(3), Comment(4), Comment(5), Comment(6), Comment(7), Comment(8));
        yield return Case("all Prometheus 0.0.4 types", Prom,
            "# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d summary\n# TYPE e untyped  \n",
            Type(1, "a", MetricType.Counter), Type(2, "b", MetricType.Gauge), Type(3, "c", MetricType.Histogram),
            Type(4, "d", MetricType.Summary), Type(5, "e", MetricType.Untyped));
        yield return Case("exponents and decimals", Prom,
            "a 1e3\nb 1.5E-7\nc -2.5e+2\nd 55627776.000000\ne .5\nf 5.\ng -0\nh 0.014000\n",
            Sample(1, "a", 1000), Sample(2, "b", 1.5E-7), Sample(3, "c", -250), Sample(4, "d", 55627776),
            Sample(5, "e", 0.5), Sample(6, "f", 5), Sample(7, "g", -0.0), Sample(8, "h", 0.014));
        yield return Case("19-digit integers", Prom,
            "falcosecurity_falco_start_timestamp_nanoseconds 1747146391215396732\n",
            Sample(1, "falcosecurity_falco_start_timestamp_nanoseconds", 1747146391215396732d));
        yield return Case("metric names with colons and underscores", Prom,
            "_a:b_c:d 1\n:x 2\n", Sample(1, "_a:b_c:d", 1), Sample(2, ":x", 2));
        yield return Case("Falco 0.39 unescaped JSON in a label value", Prom,
            "f{host_ifinfo_json=\"{\"ipv4\":{\"docker0\":\"172.17.0.1\"},\"ipv6\":{}}\"} 1\n",
            Sample(1, "f", 1, ("host_ifinfo_json", "{\"ipv4\":{\"docker0\":\"172.17.0.1\"},\"ipv6\":{}}")));
        yield return Case("raw quotes before another label", Prom,
            "f{a=\"say \"hi\"\",b=\"x\"} 1\n", Sample(1, "f", 1, ("a", "say \"hi\""), ("b", "x")));
        yield return Case("NOTE: a missing comma is absorbed as raw quotes", Prom,
            "f{a=\"b\" c=\"d\"} 1\n", Sample(1, "f", 1, ("a", "b\" c=\"d")));

        yield return Case("OpenMetrics: UNIT, _total, _created, EOF", OM,
            "# TYPE foo counter\n# UNIT foo seconds\n# HELP foo Help.\nfoo_total 17.0 1520879607.789\nfoo_created 1520430000.123\n# EOF\n",
            Type(1, "foo", MetricType.Counter), Unit(2, "foo", "seconds"), Help(3, "foo", "Help."),
            Sample(4, "foo_total", 17, 1520879607789), Sample(5, "foo_created", 1520430000.123));
        yield return Case("OpenMetrics: exemplars are skipped", OM,
            "foo_bucket{le=\"0.1\"} 8 # {trace_id=\"KOO5S4vxi0o\"} 0.067 1520879607.789\nfoo_bucket{le=\"+Inf\"} 17 1520879607 # {} 2\n# EOF",
            Sample(1, "foo_bucket", 8, ("le", "0.1")), Sample(2, "foo_bucket", 17, 1520879607000, ("le", "+Inf")));
        yield return Case("OpenMetrics: timestamps are seconds, exact to the millisecond", OM,
            "a 1 1.001\nb 1 -1.5\nc 1 1e3\nd 1 1700000000\n# EOF\n",
            Sample(1, "a", 1, 1001), Sample(2, "b", 1, -1500), Sample(3, "c", 1, 1000000), Sample(4, "d", 1, 1700000000000));
        yield return Case("OpenMetrics: all types", OM,
            "# TYPE a gaugehistogram\n# TYPE b stateset\n# TYPE c info\n# TYPE d unknown\n# TYPE e summary\n# EOF\n",
            Type(1, "a", MetricType.GaugeHistogram), Type(2, "b", MetricType.StateSet), Type(3, "c", MetricType.Info),
            Type(4, "d", MetricType.Unknown), Type(5, "e", MetricType.Summary));
        yield return Case("OpenMetrics: blank lines after EOF are fine", OM, "a 1\n# EOF\n\n  \n", Sample(1, "a", 1));
        yield return Case("OpenMetrics: EOF without newline, empty UNIT", OM, "# UNIT a \n# EOF", Unit(1, "a", string.Empty));
    }

    [TestCaseSource(nameof(Cases))]
    public void Parses(string input, TextFormat format, ParsedEntry[] expected)
    {
        List<ParsedEntry> actual = ParseAll(input, format);

        Assert.That(actual, Is.EqualTo(expected));
    }

    private static TestCaseData Case(string name, TextFormat format, string input, params ParsedEntry[] expected) =>
        new TestCaseData(input, format, expected).SetName(name);
}
