using System.Buffers;
using System.Text;
using System.Text.Json;
using FalcoCheck.Bench;

namespace FalcoCheck.Tests.Bench;

/// <summary>
/// What `falcocheck bench` reports: the peers' JSON line, consistent figures, and the allocation targets of issue 7
/// (measured in bytes with GC.GetAllocatedBytesForCurrentThread, never in time).
/// </summary>
internal sealed class BenchRunnerTests
{
    // The fields of issue 7, in its order, then ours.
    private static readonly string[] Fields =
    [
        "peer", "payload", "bytes", "series", "iterations", "seconds_total", "mb_per_s", "series_per_s", "us_per_parse",
        "allocated_bytes_per_iteration", "stage", "cpu_seconds_total",
    ];

    private static readonly byte[] Typical = PayloadGenerator.Render(PayloadProfile.Typical);

    public static IEnumerable<TestCaseData> Stages() =>
        Enum.GetValues<BenchStage>().Select(stage => new TestCaseData(stage).SetName($"{BenchResult.StageName(stage)} prints the peers' JSON line"));

    [TestCaseSource(nameof(Stages))]
    public void Each_stage_prints_one_json_line_with_the_issue_fields_in_order(BenchStage stage)
    {
        var result = BenchRunner.Run(stage, "typical", Typical, warmup: 1, iterations: 3);
        var output = new ArrayBufferWriter<byte>();

        result.WriteTo(output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        // The OpenMetrics stages time the payload rendered as OpenMetrics, and count its bytes.
        var bytes = stage is BenchStage.ParseOpenMetrics or BenchStage.ParseOpenMetricsStrict ? OpenMetricsRendering.From(Typical).Length : Typical.Length;
        Assert.That(text.Count(c => c == '\n'), Is.EqualTo(1));
        Assert.That(text, Does.EndWith("\n"));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(Fields));
            Assert.That(root.GetProperty("peer").GetString(), Is.EqualTo("falcocheck"));
            Assert.That(root.GetProperty("stage").GetString(), Is.EqualTo(BenchResult.StageName(stage)));
            Assert.That(root.GetProperty("bytes").GetInt64(), Is.EqualTo(bytes));
            Assert.That(root.GetProperty("series").GetInt32(), Is.EqualTo(122));
            Assert.That(root.GetProperty("iterations").GetInt32(), Is.EqualTo(3));
            var seconds = root.GetProperty("seconds_total").GetDouble();
            Assert.That(seconds, Is.GreaterThan(0));
            Assert.That(root.GetProperty("mb_per_s").GetDouble(), Is.EqualTo(bytes * 3 / seconds / 1e6).Within(1e-6).Percent);
            Assert.That(root.GetProperty("series_per_s").GetDouble(), Is.EqualTo(122 * 3 / seconds).Within(1e-6).Percent);
            Assert.That(root.GetProperty("us_per_parse").GetDouble(), Is.EqualTo(seconds / 3 * 1e6).Within(1e-6).Percent);
        });
    }

    [Test]
    public void Strict_OpenMetrics_parsing_allocates_nothing_per_iteration_once_warm()
    {
        var result = BenchRunner.Run(BenchStage.ParseOpenMetricsStrict, "typical", Typical, warmup: 2, iterations: 50);

        Assert.That(result.AllocatedBytesPerIteration, Is.Zero);
    }

    [Test]
    public void Parsing_allocates_nothing_per_iteration()
    {
        var result = BenchRunner.Run(BenchStage.Parse, "typical", Typical, warmup: 2, iterations: 50);

        Assert.That(result.AllocatedBytesPerIteration, Is.Zero);
    }

    // Issue 7: "≤ 1 KB allocated per scrape in steady state (beyond state that is kept)".
    [TestCase("typical")]
    [TestCase("datadog")]
    public void A_steady_state_scrape_allocates_at_most_one_kilobyte(string payload)
    {
        var body = payload == "typical" ? Typical : File.ReadAllBytes(Support.RepoPaths.DatadogFixture);

        var result = BenchRunner.Run(BenchStage.Pipeline, payload, body, warmup: 3, iterations: 50);

        Assert.That(result.AllocatedBytesPerIteration, Is.InRange(1, 1024));
    }

    [Test]
    public void The_allocation_figure_sees_a_first_scrape_that_fills_the_caches()
    {
        // Proves the measurement can go red: with no warm-up, the first scrape builds every series entry.
        var result = BenchRunner.Run(BenchStage.Map, "typical", Typical, warmup: 0, iterations: 1);

        Assert.That(result.AllocatedBytesPerIteration, Is.GreaterThan(10_000));
    }

    [Test]
    public void Iterations_and_warm_up_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchRunner.Run(BenchStage.Parse, "x", Typical, warmup: 0, iterations: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchRunner.Run(BenchStage.Parse, "x", Typical, warmup: -1, iterations: 1));
    }
}
