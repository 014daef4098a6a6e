using System.Buffers;
using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;
using FalcoCheck.Sinks;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// Each sink encoder on what one scrape of the payload submits (second scrape, so counts are included): the JSON
/// lines of the console (--json) and file sinks, and the console's table.
/// </summary>
/// <remarks>TODO(issue 7): add the Datadog, remote-write and OTLP encoders here once they are on main.</remarks>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private readonly StringWriter _table = new();
    private ScrapePipeline _pipeline = null!;

    [ParamsSource(nameof(PayloadNames))]
    public string Payload { get; set; } = Payloads.Datadog;

    public static IEnumerable<string> PayloadNames => Payloads.Names;

    [GlobalSetup]
    public void Setup()
    {
        var body = Payloads.Load(Payload);
        _pipeline = new ScrapePipeline();
        _pipeline.Scrape(body);
        _pipeline.Scrape(body);
    }

    [Benchmark]
    public int JsonLines()
    {
        _output.ResetWrittenCount();
        JsonLinesEncoder.Write(_pipeline.Submission, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Table()
    {
        _table.GetStringBuilder().Clear();
        TableEncoder.Write(_pipeline.Submission, _table);
        return _table.GetStringBuilder().Length;
    }
}
