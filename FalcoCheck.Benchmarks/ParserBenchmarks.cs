using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// TextParser over a whole body: <see cref="Parse"/> is the `bench --stage parse` work (every entry read and
/// validated, series and value of every sample); <see cref="ParseAndEnumerateLabels"/> also walks every label again,
/// as a consumer that materialises label pairs (the Python and Go peers) would.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private ParseRun _run = null!;
    private ParseRun _withLabels = null!;

    [ParamsSource(nameof(PayloadNames))]
    public string Payload { get; set; } = Payloads.Datadog;

    public static IEnumerable<string> PayloadNames => Payloads.Names;

    [GlobalSetup]
    public void Setup()
    {
        var body = Payloads.Load(Payload);
        _run = new ParseRun(body);
        _withLabels = new ParseRun(body, enumerateLabels: true);
    }

    [Benchmark(Baseline = true)]
    public long Parse() => _run.RunOnce();

    [Benchmark]
    public long ParseAndEnumerateLabels() => _withLabels.RunOnce();
}
