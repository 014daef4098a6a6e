using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;

namespace FalcoCheck.Benchmarks;

/// <summary>FalcoMapper.Map with a warm series cache (every scrape after the first), parse included.</summary>
[MemoryDiagnoser]
public class MapperBenchmarks
{
    private MapRun _run = null!;

    [ParamsSource(nameof(PayloadNames))]
    public string Payload { get; set; } = Payloads.Datadog;

    public static IEnumerable<string> PayloadNames => Payloads.Names;

    [GlobalSetup]
    public void Setup()
    {
        _run = new MapRun(Payloads.Load(Payload));
        _run.RunOnce();
    }

    [Benchmark]
    public long Map() => _run.RunOnce();
}
