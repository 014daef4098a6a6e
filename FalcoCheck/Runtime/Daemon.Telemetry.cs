namespace FalcoCheck.Runtime;

/// <summary>The agent-level falco.check.* points: each sink's queue and drops, at the shortest instance interval.</summary>
internal sealed partial class Daemon
{
    private async Task ReportSinksAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var interval = TelemetryInterval();
            try
            {
                await Task.Delay(interval, _clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var sinks = _context!.Sinks;
            var points = sinks.TakeTelemetry();
            sinks.Enqueue(SelfTelemetry.ForSinks(points, _agent.Hostname, _agent.Tags, _clock.GetUtcNow().ToUnixTimeSeconds(), (int)Math.Round(interval.TotalSeconds)));
        }
    }

    /// <summary>The shortest <c>min_collection_interval</c> of the running instances (15 s, Datadog's default, without any).</summary>
    private TimeSpan TelemetryInterval()
    {
        var shortest = Configuration.InstanceConfig.DefaultMinCollectionInterval;
        var first = true;
        foreach (var loop in Loops)
        {
            var interval = loop.Settings.MinCollectionInterval;
            if (first || interval < shortest)
            {
                shortest = interval;
                first = false;
            }
        }

        return shortest;
    }
}
