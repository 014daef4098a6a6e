using System.Globalization;
using System.Text;
using CsCheck;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Our reading of Prometheus text against Prometheus's own (Debian's prometheus 2.42, started here): it scrapes
/// each real Falco fixture, seeded Falco-like payloads and a seeded payload of exotic-but-valid samples from one
/// loopback server; every series is read back through the HTTP API and compared with what TextParser gives for
/// the same bytes: names, labels, values (bit for bit; NaN and ±Inf as such). Where we disagree on purpose, a
/// named case below pins both sides and says why.
/// </summary>
[NonParallelizable]
internal sealed class PrometheusDifferentialTests
{
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(60);

    private TestHttpServer? _server;
    private PrometheusProcess? _prometheus;
    private Dictionary<string, (string Health, string Error)> _targets = [];

    /// <summary>Payloads both must read the same way: job name → body.</summary>
    private static Dictionary<string, byte[]> Agreed { get; } = BuildAgreed();

    /// <summary>The named disagreements: job name → (body, Prometheus accepts it, our invalid lines, why).</summary>
    private static Dictionary<string, (byte[] Body, bool PrometheusAccepts, int OurInvalidLines, string Why)> Disagreements { get; } = new()
    {
        ["crlf"] = (Bytes("a_total 1\r\nb 2\r\n"), false, 0,
            "CRLF line endings: Prometheus's lexer takes the '\\r' into the value; we drop a final '\\r' as most line readers do"),
        ["type_trailing_blank"] = (Bytes("# TYPE a counter \na 1\n"), false, 0,
            "a blank after the TYPE name: Prometheus reads the type as \"counter \"; we split on blanks"),
        ["negative_timestamp"] = (Bytes("a 1 -1000\n"), false, 0,
            "a signed timestamp: Prometheus's lexer allows digits only; we parse the int64 as strconv.ParseInt would"),
        ["raw_quotes_falco_039"] = (FixtureFiles.Read(FixtureFiles.Falco039), false, 0,
            "Falco 0.39 writes raw JSON into a label value: Prometheus fails the whole scrape; we keep the value as written"),
        ["leading_blanks"] = (Bytes("  a 1\n"), false, 0,
            "blanks before a sample: Prometheus makes them part of the metric name and fails the scrape; we skip them"),
        ["missing_comma"] = (Bytes("a{b=\"c\" d=\"e\"} 1\n"), true, 0,
            "no comma between labels: Prometheus reads two labels; we read one value with raw quotes, c\" d=\"e (NOTE in LabelScanner: Falco's raw quotes)"),
        ["value_glued_to_brace"] = (Bytes("a{b=\"c\"}1\nok 1\n"), true, 1,
            "no blank between '}' and the value: Prometheus accepts it; we need the blank to tell a closing quote from a raw one (NOTE in LabelScanner)"),
        ["hex_float"] = (Bytes("a 0x1p-3\nok 1\n"), false, 1,
            "a hex float: both refuse it (our NOTE in TextParser.Values expected Go's ParseFloat to take it); Prometheus drops the whole scrape, we only the line"),
    };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var all = Agreed.Concat(Disagreements.Select(d => KeyValuePair.Create(d.Key, d.Value.Body))).ToDictionary();
        _server = new TestHttpServer(context =>
        {
            var job = context.Request.Url!.AbsolutePath.Trim('/').Split('/')[0];
            return TestHttpServer.WriteAsync(context, all[job]);
        });

        // honor_timestamps off: Prometheus stamps every sample with the scrape time, so an instant query finds them all.
        var jobs = new StringBuilder();
        foreach (var job in all.Keys)
        {
            jobs.Append(CultureInfo.InvariantCulture,
                $"  - job_name: {job}\n    honor_timestamps: false\n    metrics_path: /{job}/metrics\n    static_configs: [{{targets: ['127.0.0.1:{_server.Port}']}}]\n");
        }

        // 5 s: the first scrape of each target comes within one interval, and a loaded CI machine still fits the
        // largest payload (about 1 MB) in the scrape timeout, which Prometheus caps at the interval.
        _prometheus = await PrometheusProcess.StartAsync(jobs.ToString(), scrapeInterval: "5s");
        var targets = await _prometheus.WaitForScrapesAsync(all.Count, ScrapeWait);
        _targets = targets.ToDictionary(
            t => t.GetProperty("labels").GetProperty("job").GetString()!,
            t => (t.GetProperty("health").GetString()!, t.GetProperty("lastError").GetString()!));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task Every_series_reads_the_same_in_Prometheus_and_TextParser()
    {
        var compared = 0;
        var duplicates = 0;
        var emptyLabels = 0;
        var exactBeyondDouble = 0;
        var report = new StringBuilder();
        foreach (var (job, body) in Agreed)
        {
            Assert.That(_targets[job].Health, Is.EqualTo("up"), $"{job}: {_targets[job].Error}");
            var ours = Ours(body, out var jobDuplicates, out var jobEmptyLabels);
            var theirs = (await _prometheus!.QueryAsync($"{{job=\"{job}\",__name__!~\"up|scrape_.*\"}}"))
                .ToDictionary(s => Key(s.Labels.Where(l => l.Key is not ("job" or "instance"))), s => s.Value, StringComparer.Ordinal);

            Assert.That(theirs.Keys, Is.EquivalentTo(ours.Keys), job);
            foreach (var (key, sample) in ours)
            {
                var value = PrometheusProcess.ParseValue(theirs[key]);
                Assert.That(SameDouble(value, sample.Value), $"{job} {key}: Prometheus {theirs[key]}, TextParser {sample.Value.ToString("R", CultureInfo.InvariantCulture)}");

                // NOTE: Prometheus keeps float64 only; we also keep the exact integer Falco printed (19-digit
                // nanosecond timestamps), and both agree on the double.
                if (sample.Exact is { } exact && (long)(decimal)(double)exact != exact)
                {
                    exactBeyondDouble++;
                }
            }

            compared += ours.Count;
            duplicates += jobDuplicates;
            emptyLabels += jobEmptyLabels;
            report.Append(CultureInfo.InvariantCulture, $"{job}: {ours.Count} series compared\n");
        }

        report.Append(CultureInfo.InvariantCulture,
            $"total: {compared} series compared; {duplicates} repeated series (Prometheus keeps the first, compared with our first); {emptyLabels} empty label values (absent in Prometheus); {exactBeyondDouble} integers kept exact beyond double precision");
        await TestContext.Out.WriteLineAsync(report.ToString());
        Assert.That(compared, Is.GreaterThan(1_000), report.ToString());
        Assert.That(duplicates, Is.GreaterThan(0), "the Falco 0.40 fixture repeats series");
        Assert.That(exactBeyondDouble, Is.GreaterThan(0), "Falco's nanosecond timestamps exceed double precision");
    }

    [TestCaseSource(nameof(DisagreementNames))]
    public async Task A_known_disagreement_is_pinned_on_both_sides(string job)
    {
        var (body, prometheusAccepts, ourInvalidLines, why) = Disagreements[job];
        var (health, error) = _targets[job];
        var ours = ParsedEntry.ParseAll(body, TextFormat.Prometheus, TextParserOptions.Default);

        await TestContext.Out.WriteLineAsync($"{job}: {why}\nPrometheus: {health} {error}");
        Assert.That(health, Is.EqualTo(prometheusAccepts ? "up" : "down"), $"Prometheus: {error}");
        Assert.That(ours.Count(e => e.Kind == EntryKind.Invalid), Is.EqualTo(ourInvalidLines), string.Join("\n", ours));
        if (prometheusAccepts)
        {
            var theirs = await _prometheus!.QueryAsync($"{{job=\"{job}\",__name__!~\"up|scrape_.*\"}}");
            Assert.That(theirs.Select(s => s.Labels["__name__"]), Does.Contain("a"), "Prometheus reads the line we skip");
        }
    }

    private static IEnumerable<TestCaseData> DisagreementNames() =>
        Disagreements.Select(d => new TestCaseData(d.Key).SetArgDisplayNames(d.Key));

    /// <summary>Our samples by key (empty label values dropped, as Prometheus does); a repeated key keeps its first value, as Prometheus does.</summary>
    private static Dictionary<string, (double Value, long? Exact)> Ours(byte[] body, out int duplicates, out int emptyLabels)
    {
        duplicates = 0;
        emptyLabels = 0;
        var samples = new Dictionary<string, (double, long?)>(StringComparer.Ordinal);
        var parser = new TextParser(body, TextFormat.Prometheus);
        while (parser.Read())
        {
            if (parser.Kind == EntryKind.Invalid)
            {
                Assert.Fail(parser.Error.Message);
            }

            if (parser.Kind != EntryKind.Sample)
            {
                continue;
            }

            var entry = ParsedEntry.From(ref parser);
            emptyLabels += entry.Labels.Count(l => l.Value.Length == 0);
            var labels = entry.Labels.Where(l => l.Value.Length > 0).Select(l => KeyValuePair.Create(l.Name, l.Value))
                .Append(KeyValuePair.Create("__name__", entry.Name));
            if (!samples.TryAdd(Key(labels), (entry.Value, parser.TryGetExactInteger(out var exact) ? exact : null)))
            {
                duplicates++;
            }
        }

        return samples;
    }

    private static string Key(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join("\u0001", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "\u0002" + l.Value));

    private static bool SameDouble(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static Dictionary<string, byte[]> BuildAgreed()
    {
        var payloads = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in FixtureFiles.Names().Where(n => n != FixtureFiles.Falco039))
        {
            payloads[JobName(name)] = FixtureFiles.Read(name);
        }

        // The 0.39 fixture minus its one line Prometheus cannot read (see raw_quotes_falco_039).
        var falco039 = Encoding.UTF8.GetString(FixtureFiles.Read(FixtureFiles.Falco039)).Split('\n')
            .Where(line => !line.StartsWith("falcosecurity_falco_host_ifinfo_json_info{", StringComparison.Ordinal));
        payloads["falco_0_39_0_without_raw_quotes"] = Bytes(string.Join('\n', falco039));

        foreach (var (seed, rules, cpus) in new[] { (1, 30, 4), (2, 300, 16), (3, 2_000, 64) })
        {
            payloads[$"generated_falco_seed_{seed}"] = Bytes(FalcoPayloadGenerator.Generate(seed, rules, cpus));
        }

        // Exotic but valid: random names, escapes, blanks, HELP/TYPE repetition, NaN/Inf spellings, subnormals.
        var exotic =
            from samples in TextSample.Generator(timestamps: false).Array[400]
            from body in TextSample.Body(samples, TextFormat.Prometheus, prometheusStrict: true)
            select body;
        payloads["generated_exotic"] = Bytes(exotic.Single(_ => true, "a3AV0KqgwJ61"));
        return payloads;
    }

    private static string JobName(string fixture) =>
        new([.. fixture.Replace(".prom.txt", string.Empty, StringComparison.Ordinal).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
