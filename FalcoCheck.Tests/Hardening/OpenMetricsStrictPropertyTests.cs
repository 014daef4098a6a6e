using System.Globalization;
using System.Text;
using CsCheck;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Parsing;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Properties of OpenMetrics strict mode over generated input (CsCheck; a failure prints the seed). Strict mode is
/// invisible to Prometheus text, and a conformant OpenMetrics body reads in strict mode exactly as leniently.
/// </summary>
internal sealed class OpenMetricsStrictPropertyTests
{
    private const int Iterations = 1_000;

    private static readonly TextParserOptions StrictOpenMetrics = new() { StrictOpenMetrics = true };

    [Test]
    public void Prometheus_text_reads_the_same_whatever_the_strict_flag()
    {
        // Valid bodies with everything Prometheus text allows (Falco's repeated HELP/TYPE, blank lines, comments,
        // tabs, CRLF, trailing commas), and Falco-like payloads: every entry, not only the samples, is unchanged.
        var bodies = Gen.Frequency(
            (4, from samples in TextSample.Generator(timestamps: true).Array[0, 20]
                from body in TextSample.Body(samples, TextFormat.Prometheus)
                select Encoding.UTF8.GetBytes(body)),
            (1, from seed in Gen.Int[0, 1000]
                from rules in Gen.Int[0, 30]
                select Encoding.UTF8.GetBytes(FalcoPayloadGenerator.Generate(seed, rules, cpus: 4))));

        bodies.Sample(body =>
        {
            var lenient = Entries(body, TextFormat.Prometheus, TextParserOptions.Default);
            var strict = Entries(body, TextFormat.Prometheus, StrictOpenMetrics);
            Require(lenient.SequenceEqual(strict), "the strict flag changed a Prometheus text reading");
            Require(lenient.All(e => e.Kind != EntryKind.Invalid), "a valid body had an invalid line");
        }, iter: Iterations);
    }

    [Test]
    public void Conformant_OpenMetrics_reads_in_strict_mode_as_leniently()
    {
        var gen =
            from samples in TextSample.Generator(timestamps: true).Array[0, 20]
            from declared in Gen.Bool.Array[samples.Length]
            select Conformant(samples, declared);

        gen.Sample(body =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var lenient = Entries(bytes, TextFormat.OpenMetrics, TextParserOptions.Default);
            var strict = Entries(bytes, TextFormat.OpenMetrics, StrictOpenMetrics);
            var firstError = strict.FirstOrDefault(e => e.Kind == EntryKind.Invalid);
            Require(firstError is null, $"strict mode rejected a conformant body: {firstError?.Text} in\n{body}");
            Require(lenient.SequenceEqual(strict), "strict mode read a conformant body differently");
        }, iter: Iterations);
    }

    [Test]
    public void The_conformance_property_can_fail()
    {
        // The same rendering with one sample repeated is not conformant: the property's check must see it.
        var sample = new TextSample("a", [], "1", 1, 1, null);
        var body = Conformant([sample], [false]).Replace("# EOF\n", "a_0 2\n# EOF\n", StringComparison.Ordinal);

        var strict = Entries(Encoding.UTF8.GetBytes(body), TextFormat.OpenMetrics, StrictOpenMetrics);

        Assert.That(strict.Single(e => e.Kind == EntryKind.Invalid).Text, Is.EqualTo($"{ParseErrorReason.DuplicateSample}@1"));
    }

    /// <summary>Each sample its own family (a unique name), optionally declared as a gauge with escaped HELP; single spaces, LF, # EOF.</summary>
    private static string Conformant(TextSample[] samples, bool[] declared)
    {
        var text = new StringBuilder();
        for (var i = 0; i < samples.Length; i++)
        {
            var sample = samples[i];
            var name = string.Create(CultureInfo.InvariantCulture, $"{sample.Name}_{i}");
            if (declared[i])
            {
                text.Append("# TYPE ").Append(name).Append(" gauge\n# HELP ").Append(name).Append(" help with \\\\ and \\n and \\\"quotes\\\"\n");
            }

            text.Append(name);
            if (sample.Labels.Length > 0)
            {
                text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Name}=\"{TextSample.Escape(l.Value)}\"")).Append('}');
            }

            text.Append(' ').Append(sample.ValueText);
            if (sample.TimestampMs is { } ms)
            {
                var magnitude = Math.Abs(ms);
                text.Append(' ').Append(CultureInfo.InvariantCulture, $"{(ms < 0 ? "-" : string.Empty)}{magnitude / 1000}.{magnitude % 1000:D3}");
            }

            text.Append('\n');
        }

        return text.Append("# EOF\n").ToString();
    }

    private static List<ParsedEntry> Entries(byte[] body, TextFormat format, TextParserOptions options)
    {
        var entries = new List<ParsedEntry>();
        var parser = new TextParser(body, format, options);
        while (parser.Read())
        {
            entries.Add(ParsedEntry.From(ref parser));
        }

        return entries;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
