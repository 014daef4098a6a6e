using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.Syslog;
using NATS.Client.Core;

namespace FalcoCheck.Benchmarks;

/// <summary>
/// The alert sinks' encoders on 1,000 queued alerts (Falco's documented alert, normalized, with 8 priorities and 50
/// rules), as one request of each sink carries them, reading every queued document back as the sinks do; no
/// compression or I/O.
/// </summary>
[MemoryDiagnoser]
public class AlertSinkBenchmarks
{
    private const int Alerts = 1000;

    private static readonly string[] Priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private readonly ArrayBufferWriter<byte> _message = new(4096);
    private byte[][] _documents = null!;
    private LokiOptions _lokiProtobuf = null!;
    private LokiOptions _lokiJson = null!;
    private OtlpLogsOptions _otlp = null!;

    [GlobalSetup]
    public void Setup()
    {
        string alert = File.ReadAllText(Path.Combine(Payloads.RepositoryRoot(), "samples", "alerts", "alert-json_falco-docs-outputs-channels_oneline.json")).Trim();
        var context = new AlertContext("bench-host", "falco", ["env:bench"], TimeProvider.System);
        _documents = new byte[Alerts][];
        for (int i = 0; i < Alerts; i++)
        {
            string text = alert.Replace("\"Critical\"", "\"" + Priorities[i % 8] + "\"", StringComparison.Ordinal)
                .Replace("Terminal shell in container", "Terminal shell in container " + (i % 50).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            using JsonDocument json = JsonDocument.Parse(text);
            if (!AlertNormalizer.TryNormalize(json.RootElement, context, out NormalizedAlert? normalized, out string? error))
            {
                throw new InvalidOperationException(error);
            }

            _documents[i] = normalized!.Document;
        }

        var endpoint = new HttpEndpointOptions { Url = new Uri("http://127.0.0.1/loki/api/v1/push"), DisplayName = "bench" };
        _lokiProtobuf = new LokiOptions { Endpoint = endpoint };
        _lokiJson = _lokiProtobuf with { Encoding = LokiEncoding.Json };
        _otlp = new OtlpLogsOptions { Endpoint = endpoint with { Url = new Uri("http://127.0.0.1/v1/logs") } };
    }

    [Benchmark]
    public long Syslog()
    {
        long bytes = 0;
        foreach (byte[] document in _documents)
        {
            _message.ResetWrittenCount();
            SyslogEncoder.Encode(AlertDocument.Parse(document, out _)!, document, 16, SyslogFormat.Json, _message);
            bytes += _message.WrittenCount;
        }

        return bytes;
    }

    [Benchmark]
    public int NatsSubjects()
    {
        int length = 0;
        foreach (byte[] document in _documents)
        {
            length += NatsSubject.Format(NatsOptions.DefaultSubject, AlertDocument.Parse(document, out _)!).Length;
        }

        return length;
    }

    /// <summary>The NATS sink's other per-alert work: the <c>Nats-Msg-Id</c> header (managed SHA-256 of the queued bytes).</summary>
    [Benchmark]
    public int NatsMessageIds()
    {
        int count = 0;
        foreach (byte[] document in _documents)
        {
            var headers = new NatsHeaders { [NatsMessageId.Header] = NatsMessageId.Of(document) };
            count += headers.Count;
        }

        return count;
    }

    [Benchmark]
    public int LokiProtobuf()
    {
        _output.ResetWrittenCount();
        return LokiEncoder.Encode(_documents, _lokiProtobuf, _output, out _);
    }

    [Benchmark]
    public int LokiJson()
    {
        _output.ResetWrittenCount();
        return LokiEncoder.Encode(_documents, _lokiJson, _output, out _);
    }

    [Benchmark]
    public int OtlpLogs()
    {
        _output.ResetWrittenCount();
        return OtlpLogsEncoder.Encode(_documents, _otlp, 1, _output, out _);
    }
}
