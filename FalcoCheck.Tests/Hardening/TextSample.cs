using System.Globalization;
using System.Text;
using CsCheck;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// One valid sample as a model (name, labels, value as written, timestamp) and CsCheck generators that render a
/// list of them as a body with everything the formats allow around them: repeated and interleaved HELP/TYPE,
/// comments, blank lines, blanks between tokens, CRLF, trailing commas, escapes, NaN/Inf spellings, Falco's
/// "%f" decimals and 19-digit integers.
/// </summary>
internal sealed record TextSample(string Name, (string Name, string Value)[] Labels, string ValueText, double Value, long? Exact, long? TimestampMs)
{
    private static readonly Gen<char> NameStart = Gen.Char["abcxyzABCXYZ_:"];
    private static readonly Gen<char> NameRest = Gen.Char["abcxyzABCXYZ_:0189"];
    private static readonly Gen<char> LabelStart = Gen.Char["abcdeXYZ_"];
    private static readonly Gen<char> LabelRest = Gen.Char["abcdeXYZ_0189"];

    // Label values: what needs escaping, what looks like syntax, multi-byte UTF-8 (no lone surrogates, which UTF-8
    // cannot carry).
    private static readonly Gen<string> LabelValue = Gen.Frequency(
        (6, Gen.String[Gen.Char["ab \"\\\n\t\r{}=,#é日"], 0, 12]),
        (1, Gen.OneOf("", "\\", "\"", "a\\", "\"}", "} 1", "\",b=\"", "🙂 ok", "{\"ipv4\":[]}")));

    public static readonly Gen<string> MetricName =
        Gen.Select(NameStart, Gen.String[NameRest, 0, 12], (first, rest) => first + rest);

    public static readonly Gen<string> LabelName =
        Gen.Select(LabelStart, Gen.String[LabelRest, 0, 8], (first, rest) => first + rest);

    private static readonly Gen<(string Text, double Value, long? Exact)> Number = Gen.Frequency(
        (4, Gen.Long.Select(l => (l.ToString(CultureInfo.InvariantCulture), (double)l, (long?)l))),
        (2, Gen.Long[0, 1L << 40].Select(l => (l.ToString(CultureInfo.InvariantCulture) + ".000000", (double)l, (long?)l))),
        (4, Gen.Double.Select(d => (d.ToString("R", CultureInfo.InvariantCulture), d, ExactInteger(d.ToString("R", CultureInfo.InvariantCulture))))),
        (1, Gen.OneOf(
            ("NaN", double.NaN, (long?)null), ("nan", double.NaN, null), ("+Inf", double.PositiveInfinity, null),
            ("-Inf", double.NegativeInfinity, null), ("Inf", double.PositiveInfinity, null), ("-infinity", double.NegativeInfinity, null),
            ("-0", -0.0, 0), ("1e-320", 1e-320, null), ("0.1", 0.1, null), ("1.7976931348623157e308", double.MaxValue, null))));

    /// <summary>Samples with distinct label names per sample, values of every kind, and optional timestamps.</summary>
    public static Gen<TextSample> Generator(bool timestamps) =>
        from name in MetricName
        from labelNames in LabelName.HashSet[0, 4]
        from values in LabelValue.Array[labelNames.Count]
        from number in Number
        from timestamp in timestamps ? Gen.Long[-1L << 40, 1L << 42].Nullable() : Gen.Const((long?)null)
        select new TextSample(name, [.. labelNames.Zip(values)], number.Text, number.Value, number.Exact, timestamp);

    /// <summary>Renders the samples with random decoration; the same samples must come back.</summary>
    /// <remarks>
    /// <paramref name="prometheusStrict"/> leaves out what FalcoCheck accepts and Prometheus 2.42 rejects (CRLF,
    /// blanks around the TYPE name, blanks before a sample), for payloads that Prometheus must read too.
    /// </remarks>
    public static Gen<string> Body(TextSample[] samples, TextFormat format, bool prometheusStrict = false) =>
        Gen.Int.Array[samples.Length * 12].Select(choices => Render(samples, format, new Choices(choices, prometheusStrict), prometheusStrict));

    /// <summary>What <see cref="TextParser.TryGetExactInteger"/> must give for a value written as digits only.</summary>
    public static long? ExactInteger(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Render(TextSample[] samples, TextFormat format, Choices pick, bool prometheusStrict)
    {
        var text = new StringBuilder();
        string[] types = format == TextFormat.Prometheus
            ? ["counter", "gauge", "untyped", "summary", "histogram"]
            : ["counter", "gauge", "unknown", "info", "stateset", "gaugehistogram", "summary", "histogram"];
        string[] comments = ["#", "# a comment", "#HELP not a help line", "# HELPER x", "# TYPE_ x"];
        foreach (var sample in samples)
        {
            // Falco writes HELP and TYPE before every sample; other exposers once per family; some never.
            for (var i = pick.Next(3); i > 0; i--)
            {
                text.Append(Blanks(pick, 0)).Append(pick.Next(2) == 0 ? "# HELP " : "#\tHELP\t").Append(sample.Name)
                    .Append(" help with \\\\ and \\n and \"quotes\"").Append(Eol(pick));
                var type = types[pick.Next(types.Length)];
                text.Append("# TYPE ").Append(sample.Name)
                    .Append(prometheusStrict ? " " + type : Blanks(pick, 1) + type + Blanks(pick, 0)).Append(Eol(pick));
            }

            if (pick.Next(4) == 0)
            {
                text.Append(comments[pick.Next(comments.Length)]).Append(Eol(pick));
            }

            if (pick.Next(4) == 0)
            {
                text.Append(Blanks(pick, 0)).Append(Eol(pick));
            }

            text.Append(prometheusStrict ? string.Empty : Blanks(pick, 0)).Append(sample.Name);
            if (sample.Labels.Length > 0 || pick.Next(3) == 0)
            {
                text.Append(Blanks(pick, 0)).Append('{');
                for (var i = 0; i < sample.Labels.Length; i++)
                {
                    var (name, value) = sample.Labels[i];
                    text.Append(Blanks(pick, 0)).Append(name).Append(Blanks(pick, 0)).Append('=').Append(Blanks(pick, 0))
                        .Append('"').Append(Escape(value)).Append('"').Append(Blanks(pick, 0));
                    if (i < sample.Labels.Length - 1 || pick.Next(4) == 0)
                    {
                        text.Append(',');
                    }
                }

                text.Append(Blanks(pick, 0)).Append('}');
            }

            text.Append(Blanks(pick, 1)).Append(sample.ValueText);
            if (sample.TimestampMs is { } ms)
            {
                text.Append(Blanks(pick, 1)).Append(format == TextFormat.Prometheus ? ms.ToString(CultureInfo.InvariantCulture) : Seconds(ms));
            }

            text.Append(Blanks(pick, 0)).Append(Eol(pick));
        }

        if (format == TextFormat.OpenMetrics)
        {
            text.Append("# EOF\n");
        }

        return text.ToString();
    }

    private static string Seconds(long ms)
    {
        var magnitude = Math.Abs(ms);
        return string.Create(CultureInfo.InvariantCulture, $"{(ms < 0 ? "-" : string.Empty)}{magnitude / 1000}.{magnitude % 1000:D3}");
    }

    private static string Blanks(Choices pick, int min) => (min + pick.Next(3)) switch
    {
        0 => string.Empty,
        1 => pick.Next(4) == 0 ? "\t" : " ",
        _ => " \t",
    };

    private static string Eol(Choices pick) => pick.Next(5) == 0 && !pick.PrometheusStrict ? "\r\n" : "\n";

    /// <summary>A fixed list of random ints read in order, so that rendering is a pure function CsCheck can shrink.</summary>
    private sealed class Choices(int[] values, bool prometheusStrict)
    {
        private int _next;

        public bool PrometheusStrict => prometheusStrict;

        public int Next(int bound) => values.Length == 0 ? 0 : (int)((uint)values[_next++ % values.Length] % (uint)bound);
    }
}
