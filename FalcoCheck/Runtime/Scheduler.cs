namespace FalcoCheck.Runtime;

/// <summary>
/// The set of running <see cref="InstanceLoop"/>s. A configuration is applied as a difference: an instance whose
/// endpoint is already running keeps its loop (its counters, schedule and status) and takes the new settings;
/// new endpoints start a loop (loading their saved counters); endpoints no longer configured stop (saving theirs).
/// </summary>
internal sealed class Scheduler(RunContext context)
{
    private Dictionary<string, InstanceLoop> _loops = new(StringComparer.Ordinal);

    /// <summary>Running loops, in the order of <c>instances:</c>.</summary>
    public IReadOnlyList<InstanceLoop> Loops => [.. Volatile.Read(ref _loops).Values.OrderBy(l => l.Settings.Index)];

    /// <summary>Not thread-safe: the daemon applies one configuration at a time.</summary>
    public async Task<(int Kept, int Added, int Removed)> ApplyAsync(IReadOnlyList<InstanceSettings> instances, CancellationToken cancellationToken)
    {
        var current = _loops;
        var next = new Dictionary<string, InstanceLoop>(instances.Count, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = new List<InstanceLoop>();
        var kept = 0;
        foreach (var settings in instances)
        {
            // The same endpoint twice (with different filters, say) is two instances: tell them apart by occurrence.
            var occurrence = seen[settings.Endpoint] = seen.GetValueOrDefault(settings.Endpoint) + 1;
            var key = settings.Endpoint + "#" + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (current.Remove(key, out var loop))
            {
                // The same settings object (a discovered pod that did not change) leaves its loop untouched.
                if (!ReferenceEquals(loop.Settings, settings))
                {
                    loop.Replace(settings);
                }

                kept++;
            }
            else
            {
                loop = new InstanceLoop(settings, context);
                added.Add(loop);
            }

            next[key] = loop;
        }

        var removed = current.Values.ToList();
        Volatile.Write(ref _loops, next);
        await Task.WhenAll(removed.Select(loop => RetireAsync(loop, cancellationToken))).ConfigureAwait(false);
        foreach (var loop in added)
        {
            await loop.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return (kept, added.Count, removed.Count);
    }

    /// <summary>
    /// Stops every loop: in-flight runs finish (until <paramref name="cancellationToken"/>), counters are saved. The
    /// loops stay listed, so the last status of each instance can still be read.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Volatile.Read(ref _loops).Values.Select(loop => StopAsync(loop, cancellationToken))).ConfigureAwait(false);

    /// <summary>
    /// A loop no longer configured stops; a discovered pod's (the pod went, or moved to another address) also
    /// takes its state file with it, which nothing would load again but a new pod reusing the IP weeks later.
    /// conf.d's instances keep theirs (a conf.yaml edit may bring them back), as does every loop at shutdown.
    /// </summary>
    private async Task RetireAsync(InstanceLoop loop, CancellationToken cancellationToken)
    {
        await StopAsync(loop, cancellationToken).ConfigureAwait(false);
        if (loop.Settings.Discovered)
        {
            try
            {
                await context.State.DeleteAsync(loop.Settings).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                InstanceLoopLog.StateProblem(context.Logger, loop.Settings.Index, loop.Settings.Name, $"cannot delete the counter state of a pod that went from {context.State.Directory}: {e.Message}");
            }
        }
    }

    private static async Task StopAsync(InstanceLoop loop, CancellationToken cancellationToken)
    {
        await loop.StopAsync(cancellationToken).ConfigureAwait(false);
        loop.Dispose();
    }
}
