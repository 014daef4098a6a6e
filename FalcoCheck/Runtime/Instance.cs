using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Scraping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>
/// One configured Falco endpoint: scrape, map, turn counters into counts, and build what to submit.
/// The one-shot check and the daemon both call <see cref="RunOnceAsync"/>.
/// </summary>
internal sealed class Instance : IDisposable
{
    private readonly Scraper _scraper;
    private readonly FalcoMapper _mapper;
    private readonly TimeProvider _clock;
    private readonly FalcoSignals _signals;
    private readonly RuleCap _ruleCap;
    private long _lastTimestamp;

    public Instance(InstanceSettings settings, TimeProvider clock)
    {
        Settings = settings;
        _clock = clock;
        _scraper = new Scraper(settings.Scraper);
        _mapper = new FalcoMapper(settings.Mapping);
        Counters = new CounterState(settings.Counters);
        _signals = new FalcoSignals(Counters.FileHashes);
        _ruleCap = new RuleCap(settings.MaxRules);
    }

    public InstanceSettings Settings { get; }

    public CounterState Counters { get; }

    /// <summary>Distinct series the mapper keeps.</summary>
    public int CachedSeries => _mapper.CachedSeries;

    public async Task<InstanceRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var timestamp = Stamp(now);
        using var scrape = await _scraper.ScrapeAsync(cancellationToken).ConfigureAwait(false);
        if (!scrape.Success)
        {
            var connectionError = scrape.StatusCode == 0;
            if (connectionError && Settings.IgnoreConnectionErrors)
            {
                return Result(ServiceCheckStatus.Ok, $"skipped: {scrape.Error} (ignore_connection_errors)", [], timestamp, scrape.Duration, skipped: true);
            }

            var reason = scrape.StatusCode == 404 ? await Explain404Async(scrape.Error!, cancellationToken).ConfigureAwait(false) : scrape.Error!;
            return Result(ServiceCheckStatus.Critical, reason, [], timestamp, scrape.Duration);
        }

        _mapper.Map(scrape.Body, scrape.Format);
        var facts = _mapper.Facts;
        var (status, message) = Judge(facts, scrape.Length);

        var interval = Counters.LastRunMs is { } last
            ? TimeSpan.FromMilliseconds(Math.Max(1000, now.ToUnixTimeMilliseconds() - last))
            : Settings.MinCollectionInterval;
        Counters.BeginRun(now.ToUnixTimeMilliseconds(), interval, facts.StartTimestampNs, facts.ReloadTimestampNs);
        var intervalSeconds = (int)Math.Round(interval.TotalSeconds);
        var points = CountedPoints.Build(_mapper.Samples, facts, Counters, timestamp, intervalSeconds, Settings.Host, out int notFinite);

        var restarted = Counters.Restarted;
        Counters.EndRun();
        var baseTags = BaseTags();
        List<FalcoEvent> events = [];
        if (Settings.Mapping.ExtendedMetrics)
        {
            var derived = new DerivedContext(Settings.Name, Settings.Host, timestamp, intervalSeconds, baseTags, restarted);
            _signals.Derive(facts, _mapper.Samples, points, events, derived);
        }

        _ruleCap.Apply(points, baseTags);
        if (status == ServiceCheckStatus.Ok && FalcoDiagnostics.MissingSwitches(facts, _mapper.Samples, Settings.Mapping.ExtendedMetrics) is { } note)
        {
            message = message.Length == 0 ? note : message + "; " + note;
        }

        // A limit that refused data is a WARNING, reported once per run however many items it refused.
        var limits = RunLimits.Collect(facts, Settings, Counters.Refused);
        if (limits.Count > 0)
        {
            var limitNote = RunLimits.Describe(limits);
            message = message.Length == 0 ? limitNote : message + "; " + limitNote;
            status = status == ServiceCheckStatus.Ok ? ServiceCheckStatus.Warning : status;
        }

        var result = Result(status, message, points, timestamp, scrape.Duration, events: events);
        return result with
        {
            Submission = result.Submission with { FalcoVersion = facts.FalcoVersion },
            FalcoVersion = facts.FalcoVersion,
            PayloadBytes = scrape.Length,
            SeriesScraped = facts.SeriesScraped,
            SeriesDropped = facts.SeriesDropped + notFinite,
            DuplicateSeries = facts.DuplicateSeries,
            MergedSeries = facts.MergedSeries,
            InvalidLines = facts.InvalidLines,
            ParseErrors = [.. facts.Errors],
            LimitHits = limits,
        };
    }

    public void Dispose() => _scraper.Dispose();

    /// <summary>Tags of derived signals: the instance's and the scrape's info tags.</summary>
    private string[] BaseTags() => [.. Settings.Mapping.InstanceTags, .. _mapper.Info.Tags];

    /// <summary>Falco answers 404 on /metrics both while starting and when metrics are off; /healthz tells which.</summary>
    private async Task<string> Explain404Async(string error, CancellationToken cancellationToken)
    {
        var healthy = await _scraper.ProbeHealthAsync(cancellationToken).ConfigureAwait(false);
        return error + ". " + (healthy ? FalcoDiagnostics.MetricsDisabled : FalcoDiagnostics.StillStarting);
    }

    private static (ServiceCheckStatus Status, string Message) Judge(ScrapeFacts facts, int bytes)
    {
        if (bytes == 0)
        {
            return (ServiceCheckStatus.Critical, "the endpoint answered with an empty body");
        }

        if (facts.InvalidLines == 0)
        {
            return (ServiceCheckStatus.Ok, string.Empty);
        }

        var first = facts.Errors.Count > 0 ? facts.Errors[0].Message : "unknown";
        return facts.BodyRejected ? (ServiceCheckStatus.Critical, $"the OpenMetrics body is invalid: {first}")
            : facts.SeriesScraped == 0
            ? (ServiceCheckStatus.Critical, $"the payload is not Prometheus text: {first}")
            : (ServiceCheckStatus.Ok, $"{facts.InvalidLines} line(s) skipped; first: {first}");
    }

    /// <summary>
    /// The run's timestamp in whole seconds. A run that falls in the second of the one before (a late run, then one on
    /// time) gets the next second: backends keep one sample per series and second, so it would overwrite or be refused
    /// as a duplicate. Only with intervals of a second or more; a clock stepped back is followed as it is.
    /// </summary>
    private long Stamp(DateTimeOffset now)
    {
        long seconds = now.ToUnixTimeSeconds();
        if (Settings.MinCollectionInterval >= TimeSpan.FromSeconds(1) && seconds <= _lastTimestamp && seconds >= _lastTimestamp - 1)
        {
            seconds = _lastTimestamp + 1;
        }

        _lastTimestamp = seconds;
        return seconds;
    }

    private InstanceRunResult Result(ServiceCheckStatus status, string message, List<MetricPoint> points, long timestamp, TimeSpan duration, bool skipped = false, List<FalcoEvent>? events = null)
    {
        List<ServiceCheck> checks = [];
        if (Settings.EnableHealthServiceCheck && !skipped)
        {
            checks.Add(new ServiceCheck(ServiceCheck.HealthName, status, message, timestamp, Settings.Host, Settings.HealthTags));
        }

        return new InstanceRunResult
        {
            Index = Settings.Index,
            Name = Settings.Name,
            Status = status,
            Message = message,
            Submission = new Submission(Settings.Name, points, checks) { Events = events ?? [] },
            Duration = duration,
            Skipped = skipped,
            Timestamp = timestamp,
        };
    }
}
