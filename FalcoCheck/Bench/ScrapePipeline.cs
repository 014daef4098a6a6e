using System.Buffers;
using System.IO.Compression;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;

namespace FalcoCheck.Bench;

/// <summary>
/// One instance's scrape without the HTTP request, on reused buffers, as the bench stages time it: map (which
/// parses), counter deltas, encoding, gzip. The same calls as <c>Runtime/Instance</c>, minus the service check
/// logic and derived signals, with a clock that advances one interval per scrape.
/// </summary>
internal sealed class ScrapePipeline
{
    public const string Endpoint = "http://127.0.0.1:8765/metrics";
    private const string Host = "bench-host";
    private const int IntervalSeconds = 15;

    // 2025-05-13T14:26:40Z, a little after the start timestamp the generated payloads carry, so counters are read
    // as having started before the first interval (baseline first, counts after), as in a long-running Falco.
    private const long FirstScrapeMs = 1_747_146_400_000;

    private readonly FalcoMapper _mapper = new(new MappingOptions { InstanceTags = ["endpoint:" + Endpoint] });
    private readonly CounterState _counters = new();
    private readonly List<MetricPoint> _points = [];
    private readonly ArrayBufferWriter<byte> _encoded = new(64 * 1024);
    private readonly MemoryStream _compressed = new(16 * 1024);
    private long _nowMs = FirstScrapeMs;

    public ScrapePipeline()
    {
        ServiceCheck health = new(ServiceCheck.HealthName, ServiceCheckStatus.Ok, string.Empty, 0, Host, ["endpoint:" + Endpoint]);
        Submission = new Submission(Endpoint, _points, [health]);
    }

    /// <summary>What the last <see cref="Scrape"/> would submit (the point list is reused by the next one).</summary>
    public Submission Submission { get; }

    /// <summary>Samples read by the last <see cref="Scrape"/>.</summary>
    public int SeriesScraped => _mapper.Facts.SeriesScraped;

    /// <summary>Bytes of the last <see cref="Encode"/>.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded.WrittenSpan;

    /// <summary>Parse and map the body, then turn counters into counts; fills <see cref="Submission"/>.</summary>
    public int Scrape(ReadOnlySpan<byte> body)
    {
        _mapper.Map(body, TextFormat.Prometheus);
        var facts = _mapper.Facts;
        _nowMs += IntervalSeconds * 1000;
        _counters.BeginRun(_nowMs, TimeSpan.FromSeconds(IntervalSeconds), facts.StartTimestampNs, facts.ReloadTimestampNs);
        _points.Clear();
        var samples = _mapper.Samples;
        var timestamp = _nowMs / 1000;
        for (var i = 0; i < samples.Count; i++)
        {
            var (context, value) = samples[i];
            if (!double.IsFinite(value) ||
                (context.Kind == MetricKind.MonotonicCount && !_counters.TryGetDelta(context.Key, value, out value)))
            {
                continue;
            }

            _points.Add(new MetricPoint(context.Name, context.Kind, value, timestamp, IntervalSeconds, context.Host ?? Host, context.Tags, context.Unit));
        }

        _counters.EndRun();
        return _points.Count;
    }

    /// <summary>Encodes <see cref="Submission"/> as the console and file sinks' JSON lines.</summary>
    public int Encode()
    {
        _encoded.ResetWrittenCount();
        JsonLinesEncoder.Write(Submission, _encoded);
        return _encoded.WrittenCount;
    }

    /// <summary>Gzips the last encoding, as an HTTP sink sends it (Content-Encoding: gzip).</summary>
    public long Compress()
    {
        _compressed.SetLength(0);
        // Fastest (zlib level 1): the level agents pick for per-interval payloads, where CPU matters more than bytes.
        using (var gzip = new GZipStream(_compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(_encoded.WrittenSpan);
        }

        return _compressed.Length;
    }
}
