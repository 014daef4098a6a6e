using System.Globalization;
using System.Text.Json;
using FalcoCheck.Demo;
using FalcoCheck.Mapping;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Integration;

/// <summary>
/// The metrics sinks end to end against real servers (Debian's prometheus 2.42 and victoria-metrics 1.79): a
/// <c>check --rate</c> over the replay of Datadog's Falco 0.40.0 fixture, then every series read back from the
/// server and compared with what the check printed. A sink pointing at a closed port runs alongside and must not
/// cost the others a single point.
/// </summary>
[NonParallelizable]
internal sealed class MetricsBackendTests
{
    private const string Payload = ReplayServer.DefaultPayload;

    private static readonly CheckRunOptions Rate = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromSeconds(1.2) };

    private static string FastRetries => "    max_retries: 1\n    retry_initial_backoff: 0.05\n    retry_max_backoff: 0.1\n";

    [Test]
    public async Task Remote_write_and_datadog_v1_deliver_every_series_while_a_dead_sink_fails_alone()
    {
        await using var replay = ReplayServer.StartEmbedded();
        await using var prometheus = await PrometheusServer.StartAsync();
        await using var victoria = await VictoriaMetricsServer.StartAsync();
        int closed = TestHttpServer.FreePort();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    tags: [team:Blue Team]\n",
            "sinks:\n"
            + $"  - type: prometheus_remote_write\n    url: http://127.0.0.1:{closed}/api/v1/write\n    flush_timeout: 1\n{FastRetries}"
            + $"  - type: prometheus_remote_write\n    url: {prometheus.RemoteWriteUrl}\n"
            + $"  - type: prometheus_remote_write\n    url: {victoria.BaseUrl}/api/v1/write\n"
            + $"  - type: datadog\n    url: {victoria.BaseUrl}/datadog\n    api_version: v1\n    send_service_checks: false\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(1), "the dead sink fails the run");
        Assert.That(run.Errors, Does.Contain($"prometheus_remote_write (http://127.0.0.1:{closed}/api/v1/write)"));
        Assert.That(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "one line, for the dead sink only:\n" + run.Errors);
        var submitted = run.Metrics;
        Assert.That(submitted.Count(m => m.GetProperty("type").GetString() == "count"), Is.GreaterThan(20));

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        AssertRemoteWrite(submitted, await prometheus.QueryAsync("{__name__=~\"falco_.+\"}[5m]", now), "prometheus", exact: true);
        // VictoriaMetrics keeps 12 significant digits of a float (its documented precision), so a relative tolerance.
        AssertRemoteWrite(submitted, await victoria.ExportAsync("{__name__=~\"falco_.+\"}"), "victoria-metrics remote write", exact: false);
        AssertDatadogV1(submitted, await victoria.ExportAsync("{__name__=~\"falco[.].+\"}"));

        // One counter checked against the payload itself: the cumulative value of the second scrape.
        var duration = (await prometheus.QueryAsync("falco_duration_seconds_total", now)).Single();
        Assert.That(duration.Values[0], Is.EqualTo(RawValueOfSecondScrape("falcosecurity_falco_duration_seconds_total")));
    }

    /// <summary>Every submitted series is in the server once, under its Prometheus name and labels; gauges equal, counters cumulative.</summary>
    private static void AssertRemoteWrite(List<JsonElement> submitted, List<ExportedSeries> received, string server, bool exact)
    {
        var byKey = received.ToDictionary(RemoteWriteSeries.Key);
        Assert.That(received, Has.Count.EqualTo(submitted.Count), $"{server}: one series per submitted point");
        foreach (var metric in submitted)
        {
            var kind = RemoteWriteSeries.IsCount(metric) ? MetricKind.MonotonicCount : MetricKind.Gauge;
            string key = RemoteWriteSeries.Key(metric);
            Assert.That(byKey.TryGetValue(key, out var series), Is.True, $"{server} has {key}");
            double value = metric.GetProperty("value").GetDouble();
            if (kind == MetricKind.Gauge)
            {
                Assert.That(series!.Values.Last(), exact ? Is.EqualTo(value) : Is.EqualTo(value).Within(1e-9).Percent, $"{server}: {key}");
            }
            else
            {
                Assert.That(series!.Values.Last(), Is.GreaterThanOrEqualTo(value), $"{server}: {key} is the cumulative value, at least the increase");
            }

            Assert.That(series.Timestamps.Last(), Is.EqualTo(metric.GetProperty("timestamp").GetInt64() * 1000), $"{server}: {key}");
        }
    }

    /// <summary>
    /// VictoriaMetrics' Datadog v1 intake: names with dots, tags as Datadog normalizes them, counts equal to the
    /// increase. A tag key given several times (Datadog's multi-value tags, e.g. <c>falco_tag</c>) becomes one label
    /// in VictoriaMetrics, so such keys are matched by value membership.
    /// </summary>
    private static void AssertDatadogV1(List<JsonElement> submitted, List<ExportedSeries> received)
    {
        Assert.That(received, Has.Count.EqualTo(submitted.Count), "datadog v1: one series per submitted point");
        foreach (var metric in submitted)
        {
            var tags = DatadogTags.Normalize(CheckRun.Tags(metric)).Select(t => t.Split(':', 2)).Select(kv => (kv[0], kv[1]))
                .Append(("host", metric.GetProperty("host").GetString()!)).ToList();
            var repeated = tags.GroupBy(t => t.Item1).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            string key = metric.GetProperty("metric").GetString() + "{" + UniqueKey(tags, repeated) + "}";
            var series = received.FirstOrDefault(s => s.Name + "{" + UniqueKey([.. s.Labels.Where(l => l.Key != "__name__").Select(l => (l.Key, l.Value))], repeated) + "}" == key
                && repeated.All(name => tags.Any(t => t.Item1 == name && s.Labels.GetValueOrDefault(name) == t.Item2)));
            Assert.That(series, Is.Not.Null, $"victoria-metrics has {key}");
            Assert.That(series!.Values.Single(), Is.EqualTo(metric.GetProperty("value").GetDouble()).Within(1e-9).Percent, key);
        }

        Assert.That(received.Select(s => s.Labels.GetValueOrDefault("team")), Has.All.EqualTo("blue_team"), "tags normalized as Datadog stores them");
    }

    private static string UniqueKey(List<(string Name, string Value)> labels, HashSet<string>? repeated)
    {
        repeated ??= labels.GroupBy(l => l.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return string.Join(',', labels.Where(l => !repeated.Contains(l.Name)).Select(l => l.Name + "=" + l.Value).Order(StringComparer.Ordinal));
    }

    /// <summary>What the replay serves at its second request for a label-less counter (a fresh payload renders the same sequence).</summary>
    private static double RawValueOfSecondScrape(string counter)
    {
        var replay = new ReplayPayload(ReplayServer.ReadEmbedded("demo/" + Payload + ".prom.txt"));
        replay.Render();
        string second = replay.Render();
        string line = second.Split('\n').Last(l => l.StartsWith(counter + " ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
