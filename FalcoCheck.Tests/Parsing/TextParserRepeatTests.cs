using FalcoCheck.Parsing;
using static FalcoCheck.Tests.Parsing.ParsedEntry;

namespace FalcoCheck.Tests.Parsing;

/// <summary>
/// The fast paths for what Falco repeats (identical HELP/TYPE lines, a sample named like the last name read, label
/// sets without blanks) give exactly the entries the full scan gives, including where a repeat almost matches.
/// </summary>
internal sealed class TextParserRepeatTests
{
    private const TextFormat Prom = TextFormat.Prometheus;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("a repeated HELP and TYPE line reads as the first one", Prom,
            "# HELP a_total see x\n# TYPE a_total counter\n# HELP a_total see x\n# TYPE a_total counter\n",
            Help(1, "a_total", "see x"), Type(2, "a_total", MetricType.Counter), Help(3, "a_total", "see x"), Type(4, "a_total", MetricType.Counter));
        yield return Case("a TYPE line of the same length with another type is read again", Prom,
            "# TYPE abcdefg counter\n# TYPE abcdefg gauge  \n",
            Type(1, "abcdefg", MetricType.Counter), Type(2, "abcdefg", MetricType.Gauge));
        yield return Case("a HELP line of the same length and another name is read again", Prom,
            "# HELP ab x\n# HELP cd x\n", Help(1, "ab", "x"), Help(2, "cd", "x"));
        yield return Case("a broken TYPE line stays broken when repeated", Prom,
            "# TYPE a bogus\n# TYPE a bogus\n",
            Invalid(1, ParseErrorReason.InvalidTypeLine, 10), Invalid(2, ParseErrorReason.InvalidTypeLine, 10));
        yield return Case("sample names that extend, shorten or equal the last name", Prom,
            "# TYPE abc counter\nabc 1\nabc_total 2\nab 3\nabc{x=\"1\"} 4\nabc:d 5\n",
            Type(1, "abc", MetricType.Counter), Sample(2, "abc", 1), Sample(3, "abc_total", 2), Sample(4, "ab", 3),
            Sample(5, "abc", 4, ("x", "1")), Sample(6, "abc:d", 5));
        yield return Case("a sample name followed by a byte outside the grammar is still an error", Prom,
            "abc 1\nabc-d 2\n", Sample(1, "abc", 1), Invalid(2, ParseErrorReason.InvalidMetricName, 4));
        yield return Case("labels with and without blanks read the same", Prom,
            "m{a=\"1\",bb=\"2\"} 1\nm{a=\"1\" , bb = \"2\"} 1\nm{ a=\"1\",\tbb=\"2\" } 1\n",
            Sample(1, "m", 1, ("a", "1"), ("bb", "2")), Sample(2, "m", 1, ("a", "1"), ("bb", "2")), Sample(3, "m", 1, ("a", "1"), ("bb", "2")));
        yield return Case("a quote and comma inside a value that do not start a label stay raw", Prom,
            "m{j=\"{\"k\":\"v\",\"n\":1}\",z=\"2\"} 1\nm{j=\"a\",=\"b\",z=\"2\"} 1\n",
            Sample(1, "m", 1, ("j", "{\"k\":\"v\",\"n\":1}"), ("z", "2")), Sample(2, "m", 1, ("j", "a\",=\"b"), ("z", "2")));
        yield return Case("long label names cross the 16-byte blocks", Prom,
            "m{tag_mitre_privilege_escalation=\"true\",tag_T1059_004=\"true\"} 1\n",
            Sample(1, "m", 1, ("tag_mitre_privilege_escalation", "true"), ("tag_T1059_004", "true")));
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
