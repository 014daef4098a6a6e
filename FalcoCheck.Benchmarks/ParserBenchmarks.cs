using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;

namespace FalcoCheck.Benchmarks;

/// <summary>TextParser over a whole body, touching every label and value (the `bench --stage parse` work).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private ParseRun _run = null!;

    [ParamsSource(nameof(PayloadNames))]
    public string Payload { get; set; } = Payloads.Datadog;

    public static IEnumerable<string> PayloadNames => Payloads.Names;

    [GlobalSetup]
    public void Setup() => _run = new ParseRun(Payloads.Load(Payload));

    [Benchmark]
    public long Parse() => _run.RunOnce();
}
