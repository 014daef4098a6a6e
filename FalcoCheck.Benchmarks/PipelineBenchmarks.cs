using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;

namespace FalcoCheck.Benchmarks;

/// <summary>One scrape minus HTTP: parse, map, counter deltas, JSON lines, gzip (the `bench --stage pipeline` work).</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private PipelineRun _run = null!;

    [ParamsSource(nameof(PayloadNames))]
    public string Payload { get; set; } = Payloads.Datadog;

    public static IEnumerable<string> PayloadNames => Payloads.Names;

    [GlobalSetup]
    public void Setup()
    {
        _run = new PipelineRun(Payloads.Load(Payload));
        _run.RunOnce();
    }

    [Benchmark]
    public long Pipeline() => _run.RunOnce();
}
