using FalcoCheck.Mapping;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;

namespace FalcoCheck.Alerts;

/// <summary>
/// Joins the alerts received with the rule matches Falco counted, per host and rule, so a user sees alerts lost
/// between Falco and FalcoCheck: <c>falco.alerts.unreceived</c> = the increase of <c>falco.rules.matches.count</c>
/// minus the alerts received, as running totals over the same window; <c>falco.alerts.received_ratio</c> = received
/// ÷ matched per host. Fed by every successful scrape (<see cref="Scraped"/>) and every alert queued
/// (<see cref="Received"/>); both can come from any thread.
/// </summary>
/// <remarks>
/// <para>The window of a rule opens at the first scrape that counts an increase of it, and starts at the scrape before:
/// a rule already listed at an instance's first scrape only sets a baseline there (<see cref="Counters.CounterState"/>),
/// and a rule listed later first matched after the scrape before (Falco lists a rule only once it has matched,
/// <c>include_empty_values: false</c>, the default), so its whole count is the increase. Either way the alerts
/// received since the scrape before are the ones counted. Until then, a rule's alerts wait in a list ordered by
/// arrival, bounded per host and in all, and for a host no live instance reports kept only <see cref="WaitingTtl"/>
/// (anyone who can post alerts can name hosts); a rule never counted (Falco's own "Falco internal: …" alerts, rules
/// of a Falco that is not scraped) never gets a value.</para>
/// <para>Alerts are counted up to the latest scrape of the instance that reports the rule, so matches and alerts
/// cover the same span; what remains is what is in flight at that scrape (an alert whose match was counted but
/// which arrives after), which shows as a short rise undone by the next scrape.</para>
/// <para>A Falco restart or reload drops the matches counted since the last scrape with the process; the alerts of
/// them (event time before Falco's new start or reload timestamp, both from Falco's clock) are taken out again.</para>
/// <para>The host is Falco's own host name when the scrape says it (<c>falco.evt.hostname</c>), as an alert's
/// <c>hostname</c> does; else the host the matches are submitted for.</para>
/// </remarks>
internal sealed class AlertReconciliation(TimeProvider clock)
{
    public const string Unreceived = "falco.alerts.unreceived";
    public const string ReceivedRatio = "falco.alerts.received_ratio";

    /// <summary>Falco's own host name (FalcoMetricTable), the name its alerts carry.</summary>
    private const string Hostname = "falco.evt.hostname";

    /// <summary>Alerts of rules not yet counted kept per host: a few intervals of a noisy host; past it, new ones are not kept.</summary>
    public const int MaxWaitingPerHost = 65_536;

    /// <summary>Alerts of rules not yet counted kept for all hosts together: bounds what forged host names can hold.</summary>
    public const int MaxWaiting = 262_144;

    /// <summary>A waiting alert of a host that no live instance reports is kept this long (a few scrapes' time).</summary>
    public static readonly TimeSpan WaitingTtl = TimeSpan.FromMinutes(10);

    /// <summary>How often the alerts themselves age the waiting ones out, scrapes or not.</summary>
    private static readonly TimeSpan AgingInterval = TimeSpan.FromMinutes(1);

    /// <summary>Host and rule names longer than this together are not kept waiting: no Falco writes them, and each kept key holds its strings.</summary>
    private const int MaxWaitingKeyChars = 1024;

    /// <summary>Alerts per rule kept since the last scrape to undo on a Falco restart; past it, the undo is partial.</summary>
    private const int MaxRecentPerRule = 65_536;

    /// <summary>An instance not scraped for this long (removed by a reload) no longer holds back the waiting alerts.</summary>
    private static readonly TimeSpan InstanceTtl = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Host, string Rule), RuleLedger> _rules = [];
    private readonly Dictionary<(string Host, string Rule), List<Arrival>> _waiting = [];
    private readonly Dictionary<string, int> _waitingPerHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InstanceFeed> _instances = new(StringComparer.Ordinal);
    private long _sequence;
    private int _waitingTotal;
    private DateTimeOffset _lastAging = DateTimeOffset.MinValue;

    /// <summary>Alerts not kept while waiting because <see cref="MaxWaitingPerHost"/> or <see cref="MaxWaiting"/> was reached (or their names were too long).</summary>
    public long Overflowed { get; private set; }

    /// <summary>Alerts waiting for their rule's first count, all hosts together.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waitingTotal;
            }
        }
    }

    /// <summary>Hosts with alerts waiting.</summary>
    public int WaitingHosts
    {
        get
        {
            lock (_gate)
            {
                return _waitingPerHost.Count;
            }
        }
    }

    /// <summary>Alerts queued by the intake.</summary>
    public void Received(IReadOnlyList<NormalizedAlert> alerts)
    {
        lock (_gate)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (now - _lastAging >= AgingInterval)
            {
                // Also without any scrape: alerts of hosts nobody scrapes must not pile up.
                ForgetWaiting(now);
            }

            foreach (NormalizedAlert alert in alerts)
            {
                long sequence = ++_sequence;
                var key = (alert.Hostname, alert.Rule);
                if (_rules.TryGetValue(key, out RuleLedger? ledger))
                {
                    ledger.Received++;
                    if (ledger.Recent.Count < MaxRecentPerRule)
                    {
                        ledger.Recent.Add(alert.TimestampNanos);
                    }

                    continue;
                }

                int waiting = _waitingPerHost.GetValueOrDefault(alert.Hostname);
                if (waiting >= MaxWaitingPerHost || _waitingTotal >= MaxWaiting || alert.Hostname.Length + alert.Rule.Length > MaxWaitingKeyChars)
                {
                    Overflowed++;
                    continue;
                }

                if (!_waiting.TryGetValue(key, out List<Arrival>? list))
                {
                    _waiting[key] = list = [];
                }

                list.Add(new Arrival(sequence, alert.TimestampNanos, now));
                _waitingPerHost[alert.Hostname] = waiting + 1;
                _waitingTotal++;
            }
        }
    }

    /// <summary>
    /// The points of one successful scrape of <paramref name="instance"/>: its <c>falco.rules.matches.count</c>
    /// increases (already deltas, restarts resolved by the counter state) and its Falco host name;
    /// <paramref name="host"/> is the instance's host, for when Falco does not say its own.
    /// </summary>
    public void Scraped(string instance, string host, IReadOnlyList<MetricPoint> metrics)
    {
        string? falcoHost = FalcoHostname(metrics);
        long startNs = 0;
        foreach (MetricPoint point in metrics)
        {
            // Every count carries Falco's last start or reload, also when no rule has matched since.
            startNs = Math.Max(startNs, point.StartTimeUnixNano);
        }

        lock (_gate)
        {
            long sequence = ++_sequence;
            DateTimeOffset now = clock.GetUtcNow();
            if (!_instances.TryGetValue(instance, out InstanceFeed? feed))
            {
                _instances[instance] = feed = new InstanceFeed();
            }

            // Falco restarted or reloaded since the last scrape: the matches of the end of its previous life are
            // gone with it, so are the alerts of them.
            bool restarted = feed.Sequence != 0 && startNs > feed.StartNs && feed.StartNs != 0;
            foreach (RuleLedger ledger in feed.Rules)
            {
                if (restarted)
                {
                    ledger.Received -= ledger.Recent.Count(t => t < startNs);
                }
            }

            foreach (MetricPoint point in metrics)
            {
                if (point.Name != RuleCap.MatchesName || RuleOf(point.Tags) is not { } rule || rule == RuleCap.OtherRule)
                {
                    continue;
                }

                var key = (falcoHost ?? point.Host, rule);
                if (!_rules.TryGetValue(key, out RuleLedger? ledger))
                {
                    ledger = Open(key, feed.Sequence, restarted || feed.Sequence == 0 ? startNs : 0);
                }

                ledger.Matched += point.Value;
                feed.Rules.Add(ledger);
            }

            foreach (RuleLedger ledger in feed.Rules)
            {
                ledger.ReceivedAtScrape = ledger.Received;
                ledger.Recent.Clear();
            }

            feed.Sequence = sequence;
            feed.StartNs = startNs == 0 ? feed.StartNs : startNs;
            feed.Host = falcoHost ?? host;
            feed.At = now;
            ForgetWaiting(now);
        }
    }

    /// <summary>The gauges now, for every host with a counted rule; tagged like <c>falco.alerts.count</c>.</summary>
    public List<MetricPoint> Points(long timestamp, IReadOnlyList<string> baseTags)
    {
        var points = new List<MetricPoint>();
        lock (_gate)
        {
            var hosts = new Dictionary<string, (double Matched, double Received)>(StringComparer.Ordinal);
            foreach (((string host, string rule), RuleLedger ledger) in _rules)
            {
                points.Add(new MetricPoint(Unreceived, MetricKind.Gauge, ledger.Matched - ledger.ReceivedAtScrape, timestamp, 0, host,
                    [.. baseTags, "rule_name:" + rule], null));
                (double matched, double received) = hosts.GetValueOrDefault(host);
                hosts[host] = (matched + ledger.Matched, received + ledger.ReceivedAtScrape);
            }

            foreach ((string host, (double matched, double received)) in hosts)
            {
                // Nothing counted yet: no ratio rather than a division by zero.
                if (matched > 0)
                {
                    points.Add(new MetricPoint(ReceivedRatio, MetricKind.Gauge, received / matched, timestamp, 0, host, [.. baseTags], null));
                }
            }
        }

        return points;
    }

    /// <summary>A rule's first counted increase: its alerts received since the instance's previous scrape join it.</summary>
    private RuleLedger Open((string Host, string Rule) key, long previousScrape, long startNs)
    {
        var ledger = new RuleLedger();
        if (_waiting.Remove(key, out List<Arrival>? waiting))
        {
            foreach (Arrival arrival in waiting)
            {
                if (arrival.Sequence > previousScrape && arrival.EventNs >= startNs)
                {
                    ledger.Received++;
                }
            }

            Unwait(key.Host, waiting.Count);
        }

        _rules[key] = ledger;
        return ledger;
    }

    /// <summary>Counts <paramref name="count"/> waiting alerts of <paramref name="host"/> gone; a host with none left is forgotten.</summary>
    private void Unwait(string host, int count)
    {
        _waitingTotal -= count;
        int left = _waitingPerHost.GetValueOrDefault(host) - count;
        if (left > 0)
        {
            _waitingPerHost[host] = left;
        }
        else
        {
            _waitingPerHost.Remove(host);
        }
    }

    /// <summary>
    /// Drops the waiting alerts no rule can take any more: those before the scrape that every live instance of the
    /// host has made since (a rule opening later starts after its own previous scrape), and those of a host no live
    /// instance reports once older than <see cref="WaitingTtl"/>.
    /// </summary>
    private void ForgetWaiting(DateTimeOffset now)
    {
        _lastAging = now;
        var oldest = new Dictionary<string, long>(StringComparer.Ordinal);
        List<string>? stale = null;
        foreach ((string name, InstanceFeed feed) in _instances)
        {
            if (now - feed.At > InstanceTtl)
            {
                (stale ??= []).Add(name);
                continue;
            }

            oldest[feed.Host] = oldest.TryGetValue(feed.Host, out long current) ? Math.Min(current, feed.Sequence) : feed.Sequence;
        }

        foreach (string name in stale ?? [])
        {
            _instances.Remove(name);
        }

        List<(string, string)>? empty = null;
        foreach (((string host, string rule), List<Arrival> list) in _waiting)
        {
            int removed = oldest.TryGetValue(host, out long before)
                ? list.RemoveAll(a => a.Sequence <= before)
                : list.RemoveAll(a => now - a.At > WaitingTtl);
            Unwait(host, removed);
            if (list.Count == 0)
            {
                (empty ??= []).Add((host, rule));
            }
        }

        foreach ((string, string) key in empty ?? [])
        {
            _waiting.Remove(key);
        }
    }

    private static string? FalcoHostname(IReadOnlyList<MetricPoint> metrics)
    {
        string? found = null;
        foreach (MetricPoint point in metrics)
        {
            if (point.Name == Hostname && TagValue(point.Tags, "falco_hostname:") is { } name)
            {
                // Several Falcos behind one endpoint (hostname_label): each series' own host is the one.
                if (found is not null && found != name)
                {
                    return null;
                }

                found = name;
            }
        }

        return found;
    }

    private static string? RuleOf(string[] tags) => TagValue(tags, "rule_name:");

    private static string? TagValue(string[] tags, string prefix)
    {
        foreach (string tag in tags)
        {
            if (tag.StartsWith(prefix, StringComparison.Ordinal))
            {
                return tag[prefix.Length..];
            }
        }

        return null;
    }

    private readonly record struct Arrival(long Sequence, long EventNs, DateTimeOffset At);

    /// <summary>One host's rule since its window opened.</summary>
    private sealed class RuleLedger
    {
        public double Matched;
        public long Received;
        public long ReceivedAtScrape;

        /// <summary>Event times of the alerts received since the last scrape, Falco's clock.</summary>
        public readonly List<long> Recent = [];
    }

    /// <summary>One instance's last scrape, in the order of arrivals.</summary>
    private sealed class InstanceFeed
    {
        public long Sequence;
        public long StartNs;
        public string Host = string.Empty;
        public DateTimeOffset At;
        /// <summary>The rules this instance reports (a rule two Falcos of one host report is in both).</summary>
        public readonly HashSet<RuleLedger> Rules = [];
    }
}
