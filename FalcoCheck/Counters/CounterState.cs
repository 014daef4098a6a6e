using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FalcoCheck.Mapping;

namespace FalcoCheck.Counters;

/// <summary>
/// Turns cumulative counters into per-interval increases (CONVENTIONS 8). Falco's own start and reload
/// timestamps tell a restart from a decrease. A counter seen for the first time on an instance's first run began
/// inside the interval (then its whole value is the increase) or long before (then it only sets a baseline); on any
/// later run it began since the previous one — Falco lists a rule's matches only once the rule has matched — so its
/// whole value is the increase (Datadog's <c>flush_first_value</c> after the first run).
/// </summary>
internal sealed class CounterState
{
    // Keyed by the scrape's SeriesContext, or by key text when restored (CounterKeyComparer makes both one key):
    // the text is built only to read or write a state file, not kept per counter per instance.
    private readonly Dictionary<object, Entry> _values = new(CounterKeyComparer.Instance);
    private readonly CounterStateOptions _options;
    private bool _restarted;
    private bool _flushFirstValues;
    private string? _restoredIdentity;
    private long _runMs;

    public CounterState(CounterStateOptions? options = null)
    {
        _options = options ?? new CounterStateOptions();
    }

    /// <summary>Falco's start timestamp at the previous run, nanoseconds.</summary>
    public long? FalcoStartNs { get; private set; }

    /// <summary>Falco's reload timestamp at the previous run, nanoseconds.</summary>
    public long? FalcoReloadNs { get; private set; }

    /// <summary>When the previous run happened, Unix milliseconds.</summary>
    public long? LastRunMs { get; private set; }

    /// <summary>
    /// The sha256 of each of Falco's rules and config files at the last run (key: kind and file name), kept with the
    /// counters in the state file, so a file that changes between two cron runs is reported as drift too.
    /// </summary>
    public Dictionary<string, string> FileHashes { get; } = new(StringComparer.Ordinal);

    /// <summary>The series identity the counters are kept under (<see cref="CounterStateOptions.SeriesIdentity"/>).</summary>
    public string? SeriesIdentity => _restoredIdentity ?? _options.SeriesIdentity;

    /// <summary>Counters kept.</summary>
    public int Count => _values.Count;

    /// <summary>Counters not kept because <see cref="CounterStateOptions.MaxContexts"/> was reached, this run.</summary>
    public int Refused { get; private set; }

    /// <summary>True when this run saw a new Falco start or reload: every counter restarted.</summary>
    public bool Restarted => _restarted;

    /// <summary>Starts a run: reads Falco's timestamps to decide how counters seen now are to be read.</summary>
    public void BeginRun(long nowMs, TimeSpan interval, long? startNs, long? reloadNs)
    {
        _runMs = nowMs;
        Refused = 0;
        _restarted = LastRunMs is not null &&
            ((startNs is not null && FalcoStartNs is not null && startNs != FalcoStartNs) ||
             (reloadNs is not null && FalcoReloadNs is not null && reloadNs != FalcoReloadNs));

        // After a first run, a counter not seen before began since the previous run: its raw value is the increase
        // (Datadog's flush_first_value). On a first run that holds only when Falco started or reloaded within one
        // interval; otherwise the counter may be hours old and its value only sets a baseline.
        // Counters kept under other names and tags (the instance's tags or label rules changed) match none of this
        // run's: a counter not seen before may then be an old one renamed, so it only sets a baseline, as on a first run.
        var lastStartNs = Math.Max(startNs ?? long.MinValue, reloadNs ?? long.MinValue);
        var identityChanged = _restoredIdentity is not null && _options.SeriesIdentity is not null && _restoredIdentity != _options.SeriesIdentity;
        _restoredIdentity = null;
        _flushFirstValues = (LastRunMs is not null && !identityChanged)
            || (lastStartNs != long.MinValue && lastStartNs / 1_000_000 >= nowMs - (long)interval.TotalMilliseconds);

        FalcoStartNs = startNs ?? FalcoStartNs;
        FalcoReloadNs = reloadNs ?? FalcoReloadNs;
    }

    /// <summary>
    /// The increase of one counter since the previous run. False on first sight when the counter predates the
    /// interval (a baseline is recorded instead).
    /// </summary>
    public bool TryGetDelta(string key, double cumulative, out double delta) => TryGetDelta((object)key, cumulative, false, out delta);

    /// <inheritdoc cref="TryGetDelta(string, double, out double)"/>
    /// <remarks>Keyed by <see cref="SeriesContext.Key"/>'s text, without building it while the context stays the same.</remarks>
    public bool TryGetDelta(SeriesContext context, double cumulative, out double delta) => TryGetDelta(context, cumulative, context.MayMerge, out delta);

    private bool TryGetDelta(object key, double cumulative, bool mayMerge, out double delta)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_values, key);
        if (!Unsafe.IsNullRef(ref slot))
        {
            var previous = slot.Value;
            if (ReferenceEquals(slot.Key, key))
            {
                slot = new Entry(key, new CounterValue(cumulative, _runMs));
            }
            else
            {
                // Kept under a restored text or an older context of the same text: keep the caller's key from now
                // on, so the text is dropped and later lookups match by reference.
                _values.Remove(key);
                _values.Add(key, new Entry(key, new CounterValue(cumulative, _runMs)));
            }

            if (mayMerge && !_restarted && cumulative < previous.Value)
            {
                // A sum of raw series (label rules merged them) that falls while Falco kept running: one of them left
                // the scrape (max_series_per_scrape cut another set) or reset alone (one of several Falcos behind the
                // endpoint restarted). Sending the whole sum would be a spike; the fallen sum is a new baseline, and
                // this interval's increase of the others is not sent. Prometheus takes each raw series' rate and sums
                // them; keeping state per raw series would, but needs the mapper to hand over every part and the state
                // file to keep them: not done yet.
                delta = 0;
                return false;
            }

            // A restart or a decrease is a reset: everything counted since is the increase, never a negative.
            delta = _restarted || cumulative < previous.Value ? cumulative : cumulative - previous.Value;
            return true;
        }

        if (_values.Count >= _options.MaxContexts)
        {
            Refused++;
            delta = 0;
            return false;
        }

        _values.Add(key, new Entry(key, new CounterValue(cumulative, _runMs)));
        delta = cumulative;
        return _restarted || _flushFirstValues;
    }

    /// <summary>Ends a run: forgets counters not seen for <see cref="CounterStateOptions.Ttl"/>.</summary>
    public void EndRun()
    {
        LastRunMs = _runMs;
        var oldestMs = _runMs - (long)_options.Ttl.TotalMilliseconds;
        List<object>? stale = null;
        foreach (var (key, entry) in _values)
        {
            if (entry.Value.SeenMs < oldestMs)
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                _values.Remove(key);
            }
        }
    }

    /// <summary>Every kept counter, for the state file.</summary>
    public IEnumerable<KeyValuePair<string, CounterValue>> Values
    {
        get
        {
            foreach (var entry in _values.Values)
            {
                yield return new(CounterKeyComparer.Text(entry.Key), entry.Value);
            }
        }
    }

    /// <summary>Takes over the counters and file hashes of the instance a reload replaced.</summary>
    public void CarryFrom(CounterState old)
    {
        Restore(old.FalcoStartNs, old.FalcoReloadNs, old.LastRunMs, old.Values, old.SeriesIdentity);
        foreach (var (file, hash) in old.FileHashes)
        {
            FileHashes[file] = hash; // rules and config drift is still seen across the reload
        }
    }

    /// <summary>
    /// Restores what a state file (or the instance before a reload) holds; <paramref name="seriesIdentity"/> is what
    /// the counters were kept under, null when unknown (a file from before it was saved).
    /// </summary>
    public void Restore(long? startNs, long? reloadNs, long? lastRunMs, IEnumerable<KeyValuePair<string, CounterValue>> values, string? seriesIdentity = null)
    {
        _restoredIdentity = seriesIdentity;
        FalcoStartNs = startNs;
        FalcoReloadNs = reloadNs;
        LastRunMs = lastRunMs;
        _values.Clear();
        foreach (var (key, value) in values)
        {
            if (_values.Count >= _options.MaxContexts)
            {
                break;
            }

            _values[key] = new Entry(key, value);
        }
    }

    /// <summary>A counter's value with the key it is kept under (a dictionary does not give its stored key back).</summary>
    private readonly record struct Entry(object Key, CounterValue Value);
}
