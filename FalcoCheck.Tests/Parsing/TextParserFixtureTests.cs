using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Parsing;

/// <summary>Every real Falco payload parses completely, with nothing Invalid.</summary>
internal sealed class TextParserFixtureTests
{
    private const string IfInfoJson =
        "{\"ipv4\":{\"docker0\":\"172.17.0.1\",\"wlp0s20f3\":\"192.168.4.50\"},\"ipv6\":{\"wlp0s20f3\":\"fe80:0:0:0:9ac2:aaa4:22b3:f753\"}}";

    [TestCaseSource(typeof(FixtureFiles), nameof(FixtureFiles.Names))]
    public void Parses_with_no_invalid_line_and_every_sample_counted(string name)
    {
        byte[] body = FixtureFiles.Read(name);
        string[] lines = Encoding.UTF8.GetString(body).Split('\n');
        int expectedSamples = lines.Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        int expectedHelp = lines.Count(l => l.StartsWith("# HELP ", StringComparison.Ordinal));
        int expectedType = lines.Count(l => l.StartsWith("# TYPE ", StringComparison.Ordinal));
        var invalid = new List<string>();
        int samples = 0, help = 0, type = 0;

        var parser = new TextParser(body);
        while (parser.Read())
        {
            switch (parser.Kind)
            {
                case EntryKind.Sample:
                    samples++;
                    break;
                case EntryKind.Help:
                    help++;
                    break;
                case EntryKind.Type:
                    type++;
                    break;
                case EntryKind.Invalid:
                    invalid.Add(parser.Error.Message);
                    break;
            }
        }

        Assert.That(invalid, Is.Empty);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parser.InvalidLines, Is.Zero);
            Assert.That(samples, Is.EqualTo(expectedSamples).And.GreaterThan(10));
            Assert.That(help, Is.EqualTo(expectedHelp));
            Assert.That(type, Is.EqualTo(expectedType));
        }
    }

    [TestCaseSource(typeof(FixtureFiles), nameof(FixtureFiles.Names))]
    public void Series_is_the_line_up_to_the_value(string name)
    {
        byte[] body = FixtureFiles.Read(name);
        string[] lines = Encoding.UTF8.GetString(body).Split('\n');
        var mismatches = new List<string>();

        var parser = new TextParser(body);
        while (parser.Read())
        {
            if (parser.Kind != EntryKind.Sample)
            {
                continue;
            }

            string line = lines[parser.LineNumber - 1];
            string series = Encoding.UTF8.GetString(parser.Series);
            string value = line[(line.LastIndexOf(' ') + 1)..];
            if (series + " " + value != line || !series.StartsWith(Encoding.UTF8.GetString(parser.MetricName), StringComparison.Ordinal))
            {
                mismatches.Add($"{parser.LineNumber}: {series}");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void Falco_039_unescaped_json_label_value_is_kept_whole()
    {
        var parser = new TextParser(FixtureFiles.Read(FixtureFiles.Falco039));
        while (parser.Read() && !(parser.Kind == EntryKind.Sample && parser.MetricName.SequenceEqual("falcosecurity_falco_host_ifinfo_json_info"u8)))
        {
        }

        Assert.That(parser.Kind, Is.EqualTo(EntryKind.Sample), "sample not found");
        int count = 0;
        foreach (Label label in parser.Labels)
        {
            count++;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Encoding.UTF8.GetString(label.Name), Is.EqualTo("host_ifinfo_json"));
                Assert.That(Encoding.UTF8.GetString(label.Value), Is.EqualTo(IfInfoJson));
                Assert.That(label.ValueHasRawQuotes, Is.True);
                Assert.That(label.ValueIsEscaped, Is.False);
                Assert.That(TextParser.UnescapeLabelValue(label.Value), Is.EqualTo(IfInfoJson));
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(1));
            Assert.That(parser.LabelCount, Is.EqualTo(1));
            Assert.That(parser.LineNumber, Is.EqualTo(21));
            Assert.That(parser.Value, Is.EqualTo(1));
            Assert.That(Encoding.UTF8.GetString(parser.Series), Is.EqualTo($"falcosecurity_falco_host_ifinfo_json_info{{host_ifinfo_json=\"{IfInfoJson}\"}}"));
            Assert.That(parser.RawQuoteLabelValues, Is.EqualTo(1));
        }

        while (parser.Read())
        {
        }

        Assert.That(parser.RawQuoteLabelValues, Is.EqualTo(1), "no other value in the fixtures has raw quotes");
    }

    [Test]
    public void Falco_040_nanosecond_timestamps_and_six_place_decimals_are_exact()
    {
        var exact = new Dictionary<int, long>();
        var parser = new TextParser(FixtureFiles.Read(FixtureFiles.Falco040TwoSources));
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Sample && parser.TryGetExactInteger(out long value))
            {
                exact[parser.LineNumber] = value;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exact[30], Is.EqualTo(1747146391215396732L), "start_timestamp_nanoseconds");
            Assert.That(exact[102], Is.EqualTo(1747146391215396732L), "second event source block");
            Assert.That(exact[54], Is.EqualTo(55627776L), "jemalloc_active_bytes 55627776.000000");
        }
    }

    [Test]
    public void Falco_040_two_sources_repeat_52_series_byte_for_byte()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int repeated = 0;
        var parser = new TextParser(FixtureFiles.Read(FixtureFiles.Falco040TwoSources));
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Sample && !seen.Add(Encoding.UTF8.GetString(parser.Series)))
            {
                repeated++;
            }
        }

        // Stated in fixtures/SOURCE.md: the Series bytes are a usable key for the scrape cache.
        Assert.That(repeated, Is.EqualTo(52));
    }
}
