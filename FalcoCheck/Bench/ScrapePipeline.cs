using System.Buffers;
using System.Runtime.InteropServices;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Bench;

/// <summary>
/// One instance's scrape without the HTTP request, on reused buffers, as the bench stages time it: map (which
/// parses), counter deltas, Datadog v2 series encoding, gzip. The same calls as <c>Runtime/Instance</c> and the
/// Datadog sink, minus the service check logic, derived signals and the request, with a clock that advances one
/// interval per scrape.
/// </summary>
internal sealed class ScrapePipeline : IDisposable
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
    private readonly DatadogSeriesEncoder _series = new(DatadogApiVersion.V2);
    private readonly PayloadCompressor _gzip = new(Compression.Gzip);
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

    /// <summary>The points of the last <see cref="Scrape"/>, as the encoders take them.</summary>
    public ReadOnlySpan<MetricPoint> Points => CollectionsMarshal.AsSpan(_points);

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
                (context.Kind == MetricKind.MonotonicCount && !_counters.TryGetDelta(context, value, out value)))
            {
                continue;
            }

            _points.Add(new MetricPoint(context.Name, context.Kind, value, timestamp, IntervalSeconds, context.Host ?? Host, context.Tags, context.Unit)
            {
                Cumulative = context.Kind == MetricKind.MonotonicCount ? samples[i].Value : null,
                StartTimeUnixNano = Math.Max(facts.StartTimestampNs ?? 0, facts.ReloadTimestampNs ?? 0),
            });
        }

        _counters.EndRun();
        return _points.Count;
    }

    /// <summary>
    /// Encodes the points as the Datadog sink does by default: one v2 series body (<c>POST /api/v2/series</c>), all
    /// points when they fit in the intake's 5 MB raw limit.
    /// </summary>
    public int Encode()
    {
        _encoded.ResetWrittenCount();
        return _series.Write(Points, _encoded, _series.Limits.MaxRawBytes);
    }

    /// <summary>Gzips the last encoding with the sinks' compressor (Content-Encoding: gzip).</summary>
    public int Compress() => _gzip.Compress(_encoded.WrittenMemory).Length;

    public void Dispose()
    {
        _series.Dispose();
        _gzip.Dispose();
    }
}
