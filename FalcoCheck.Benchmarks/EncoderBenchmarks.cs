using System.Buffers;
using BenchmarkDotNet.Attributes;
using FalcoCheck.Bench;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.DogStatsD;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.RemoteWrite;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// Each sink's encoder on what one scrape of the payload submits (second scrape, so counts are included), without
/// compression or I/O: console/file JSON lines, the console table, Datadog v2 and v1 series, Prometheus remote
/// write, OTLP/HTTP protobuf, DogStatsD datagrams. Encoders that stop at a request limit (Datadog 5 MB raw, remote
/// write 2,000 samples, OTLP 512 points, DogStatsD 8 KB datagrams) are called again on the rest, as the sinks do.
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    // DogStatsD's default datagram size for UDP (Datadog docs, "DogStatsD": 1,432 bytes is safe; 8 KB on loopback).
    private const int DogStatsDDatagramBytes = 8192;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private readonly StringWriter _table = new();
    private readonly DogStatsDEncoder _dogStatsD = new();
    private DatadogSeriesEncoder _datadogV2 = null!;
    private DatadogSeriesEncoder _datadogV1 = null!;
    private OtlpOptions _otlp = null!;
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
        _datadogV2 = new DatadogSeriesEncoder(DatadogApiVersion.V2);
        _datadogV1 = new DatadogSeriesEncoder(DatadogApiVersion.V1);
        _otlp = new OtlpOptions
        {
            Endpoint = new HttpEndpointOptions { Url = new Uri("http://127.0.0.1:4318/v1/metrics"), DisplayName = "otlp" },
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        _datadogV2.Dispose();
        _datadogV1.Dispose();
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

    [Benchmark]
    public int DatadogV2() => Datadog(_datadogV2);

    [Benchmark]
    public int DatadogV1() => Datadog(_datadogV1);

    [Benchmark]
    public int RemoteWrite()
    {
        var points = _pipeline.Points;
        var bytes = 0;
        while (!points.IsEmpty)
        {
            _output.ResetWrittenCount();
            points = points[RemoteWriteEncoder.Write(points, _output)..];
            bytes += _output.WrittenCount;
        }

        return bytes;
    }

    [Benchmark]
    public int Otlp()
    {
        var points = _pipeline.Points;
        var bytes = 0;
        while (!points.IsEmpty)
        {
            _output.ResetWrittenCount();
            points = points[OtlpEncoder.Write(points, "0.40.0", _otlp, _output)..];
            bytes += _output.WrittenCount;
        }

        return bytes;
    }

    [Benchmark]
    public int DogStatsD()
    {
        var points = _pipeline.Points;
        var bytes = 0;
        while (!points.IsEmpty)
        {
            _output.ResetWrittenCount();
            // A line too large for any datagram is counted as taken (and dropped) by the encoder.
            var (taken, _) = _dogStatsD.Write(points, [], DogStatsDDatagramBytes, _output, out _);
            points = points[Math.Max(taken, 1)..];
            bytes += _output.WrittenCount;
        }

        return bytes;
    }

    private int Datadog(DatadogSeriesEncoder encoder)
    {
        var points = _pipeline.Points;
        var bytes = 0;
        while (!points.IsEmpty)
        {
            _output.ResetWrittenCount();
            points = points[encoder.Write(points, _output, encoder.Limits.MaxRawBytes)..];
            bytes += _output.WrittenCount;
        }

        return bytes;
    }
}
