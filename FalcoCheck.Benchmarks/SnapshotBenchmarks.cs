using BenchmarkDotNet.Attributes;
using FalcoCheck.Alerts;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// Falco metrics snapshot alerts (<c>metrics.output_rule</c>): what recognising them costs a real alert, and what one
/// snapshot with every switch on (samples/metrics-snapshots, 0.39.0, 130 fields) costs from alert bytes to points,
/// beside a scrape of the equivalent /metrics body through the same mapper and counter state.
/// <c>dotnet run -c Release --project FalcoCheck.Benchmarks -- --filter '*SnapshotBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private readonly AlertContext _context = new("bench-host", "falco", ["env:bench"], TimeProvider.System);
    private byte[] _alert = null!;
    private byte[] _snapshot = null!;
    private byte[] _scrape = null!;
    private SnapshotMetrics _metrics = null!;
    private FalcoMapper _mapper = null!;
    private CounterState _counters = null!;

    [GlobalSetup]
    public void Setup()
    {
        string root = Payloads.RepositoryRoot();
        _alert = File.ReadAllBytes(Path.Combine(root, "samples", "alerts", "alert-json_falco-docs-outputs-channels_oneline.json"));
        _snapshot = File.ReadAllBytes(Path.Combine(root, "samples", "metrics-snapshots", "snapshot_falco-0.39.0_all.json"));
        _scrape = File.ReadAllBytes(Path.Combine(root, "samples", "demo", "falco-0.39.0_prometheus_all.prom.txt"));
        _metrics = new SnapshotMetrics(enabled: true, NullLogger.Instance);
        _mapper = new FalcoMapper(new MappingOptions { InstanceTags = ["env:bench"] });
        _counters = new CounterState();
    }

    /// <summary>A real alert read and normalized: the path every alert takes, with the snapshot check in it.</summary>
    [Benchmark(Baseline = true)]
    public int ReadAlert() => AlertBodyReader.Read(_alert, _context).Alerts.Count;

    /// <summary>A snapshot read and translated to Prometheus text.</summary>
    [Benchmark]
    public int ReadSnapshot() => AlertBodyReader.Read(_snapshot, _context).Snapshots[0].Body.Length;

    /// <summary>A snapshot from alert bytes to the points a metrics sink gets (mapping and counter state included).</summary>
    [Benchmark]
    public int SnapshotToPoints()
    {
        _metrics.Add(AlertBodyReader.Read(_snapshot, _context).Snapshots);
        return _metrics.Ready.TryRead(out Submission? submission) ? submission.Metrics.Count : 0;
    }

    /// <summary>The equivalent /metrics body through the same mapper and counter state, for comparison.</summary>
    [Benchmark]
    public int ScrapeToPoints()
    {
        _mapper.Map(_scrape, TextFormat.Prometheus);
        _counters.BeginRun(Environment.TickCount64, TimeSpan.FromSeconds(15), _mapper.Facts.StartTimestampNs, _mapper.Facts.ReloadTimestampNs);
        int points = CountedPoints.Build(_mapper.Samples, _mapper.Facts, _counters, 0, 15, "bench-host", out _).Count;
        _counters.EndRun();
        return points;
    }
}
