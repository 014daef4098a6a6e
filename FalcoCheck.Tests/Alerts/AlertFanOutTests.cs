using System.Collections.Concurrent;
using System.Diagnostics;
using FalcoCheck.Alerts;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks.Nats;
using NATS.Client.Core;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// Issue 14's "done when": one <c>falcocheck run</c> fans a stream of real Falco alerts out to all six alert sinks
/// at once, each with its own <c>minimum_priority</c> (<see cref="AlertDestinations.Routes"/>), through a 2-minute
/// outage of the real nats-server (killed, not stopped) in the middle, and every sink gets every alert at or above
/// its threshold exactly once. About 3 minutes: the outage is 2 of them, and after it the NATS sink's queue waits
/// out its retry pause (up to 60 s) before it sends again.
/// </summary>
[NonParallelizable]
internal sealed class AlertFanOutTests
{
    private const int PerSecond = 1000;
    private const int Seconds = 30;

    /// <summary>The outage starts after this many alerts (3 s into the stream) and lasts 2 minutes.</summary>
    private const int OutageAfter = 3000;

    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Six_sinks_get_every_alert_at_their_priority_once_across_a_2_minute_nats_outage()
    {
        var wall = Stopwatch.StartNew();
        await using AlertFanOut run = await AlertFanOut.StartAsync(PerSecond * Seconds);
        AlertDestinations destinations = run.Destinations;
        FalcoPriority natsMinimum = AlertDestinations.MinimumOf("nats");

        // A core subscriber sees every PUB, repeats included (its client reconnects within seconds of the restart,
        // before the queue's retry pause ends): ids it sees twice are alerts of a request the kill cut between its
        // PUBs and PONG, sent again. Where the kill falls is arbitrary, so this only reports how many there were.
        var seen = new ConcurrentDictionary<string, int>();
        await using var watcher = new NatsConnection(new NatsOpts { Url = destinations.Nats.Url.AbsoluteUri, Name = "falcocheck-test-watcher", SubPendingChannelCapacity = 1 << 16 });
        await using INatsSub<byte[]> watch = await watcher.SubscribeCoreAsync<byte[]>("falco.>");
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in watch.Msgs.ReadAllAsync())
            {
                seen.AddOrUpdate(message.Headers?[NatsMessageId.Header].ToString() ?? "", 1, (_, n) => n + 1);
            }
        });
        await watcher.PingAsync();

        // nats-server is killed (SIGKILL) once the stream has issued 3,000 alerts, wherever the NATS sink is then, with
        // no quiescing: when that is between a request's PUBs and its PONG, the queue sends the request again after
        // the restart, and the alerts' Nats-Msg-Id headers let the JetStream stream drop what it already stored (its
        // duplicate window, AlertDestinations.NatsDuplicateWindow, outlasts the outage and the retry pause).
        Task<DateTime> outage = Task.Run(async () =>
        {
            await Eventually.TrueAsync(() => run.Replay.Issued >= OutageAfter, "the first 3,000 alerts issued");
            await destinations.Nats.Process.KillAsync();
            return DateTime.UtcNow;
        });

        TimeSpan streamed = await run.Replay.RunAsync(run.Client, PerSecond);
        DateTime down = await outage;

        // The outage seen by the daemon: the NATS sink retries and keeps its share in the spool.
        await run.Daemon.WaitForAsync(s => AlertFanOut.Sink(s, "nats").Retried > 0, "the NATS sink retrying");
        TimeSpan left = down + Outage - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        StatusReport during = (await run.Daemon.StatusAsync())!;
        SinkReport natsDuring = AlertFanOut.Sink(during, "nats");
        Assert.That(natsDuring.SpoolBytes, Is.GreaterThan(0), "the outage's alerts wait in the NATS sink's disk spool");
        await destinations.Nats.Process.RestartAsync();
        TimeSpan drained = await run.WaitDeliveredAsync(seconds: 120);

        // Late duplicates would arrive within a few seconds of the rest.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await run.AssertExactlyOnceAsync();
        int critical = run.Replay.SentAtOrAbove(AlertDestinations.MinimumOf("alertmanager")).Length;
        Assert.That(await destinations.Alertmanager.ReceivedAsync(), Is.EqualTo(critical), "Alertmanager received each of its alerts once (its list merges repeats, its counter does not)");
        StatusReport after = (await run.Daemon.StatusAsync())!;
        SinkReport nats = AlertFanOut.Sink(after, "nats");
        Assert.That(after.Sinks.Where(s => s.Dropped > 0).Select(s => s.Name), Is.Empty, "no sink dropped an alert");
        Assert.That(nats.Spooled, Is.GreaterThan(0));
        Assert.That(await run.Daemon.StopAsync(), Is.Zero, run.Daemon.Errors);

        Assert.That(seen.Keys, Does.Not.Contain(""), "every NATS alert published with a Nats-Msg-Id");
        int repeats = seen.Values.Sum(n => n - 1);
        long spoolPeak = run.PeakSpoolBytes[nats.Name];
        int natsShare = run.Replay.SentAtOrAbove(natsMinimum).Length;
        TestContext.Out.WriteLine(
            $"{run.Replay.Total} alerts posted one per request in {streamed.TotalSeconds:F1} s ({run.Replay.Total / streamed.TotalSeconds:F0}/s); "
            + $"nats-server down {Outage.TotalSeconds:F0} s from alert {OutageAfter}; every sink complete {drained.TotalSeconds:F1} s after its restart; "
            + $"{repeats} NATS alerts sent again after the kill (seen twice by a core subscriber, stored once); "
            + $"routes: {string.Join(", ", AlertDestinations.Routes.Select(r => $"{r.Sink} {r.Minimum}+ {run.Replay.SentAtOrAbove(r.Minimum).Length}"))}; "
            + $"NATS spool peak {spoolPeak / 1048576.0:F1} MiB for {nats.Spooled} alerts spooled ({(nats.Spooled > 0 ? spoolPeak / nats.Spooled : 0)} B each, {natsShare} NATS alerts in all); "
            + $"daemon peak RSS {run.PeakResidentBytes / 1048576.0:F0} MiB, managed heap {run.PeakHeapBytes / 1048576.0:F0} MiB; test wall {wall.Elapsed.TotalSeconds:F0} s");
    }
}
