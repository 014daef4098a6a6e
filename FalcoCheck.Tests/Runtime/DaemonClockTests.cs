using FalcoCheck.Demo;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// A clock that passes an instance's next slot while the loop sets up its wait (a suspended VM, or NTP stepping the
/// clock): the run is due, so it happens at once rather than a whole delay late.
/// </summary>
internal sealed class DaemonClockTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_slot_the_clock_passes_while_the_wait_is_set_up_runs_at_once()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 10\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n");
        var start = DateTimeOffset.UtcNow;
        // Only the wait the loop sets up after its first run is shorter than an interval and created after it.
        var clock = new JumpingClock(start) { JumpWhen = (now, due) => now >= start + Interval && due < Interval, JumpBy = Interval };
        await using var daemon = await DaemonHarness.StartAsync(config, clock);
        await Eventually.WaitAsync(() => clock.Waits.Any(w => w < Interval), "the loop waits for its first slot");

        await daemon.AdvanceAsync(Interval, (0, 1));

        await Eventually.WaitAsync(() => daemon.Instance(0).Runs >= 2, "the passed slot runs without another tick of the clock");
        Assert.That(clock.Jumped, Is.True, "the clock did pass the slot while the wait was set up");
    }

    [Test]
    public async Task A_slot_less_than_a_millisecond_away_is_waited_for_not_run_at_once()
    {
        // Task.Delay counts whole milliseconds and drops the rest, so a wait of 0.5 ms did not wait at all: the loop ran
        // the slot before it came, and with a clock that stands still during a run (this one), twice in one interval.
        await using var replay = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 10\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n");
        // Never jumps: it only records the waits.
        var clock = new JumpingClock(DateTimeOffset.UtcNow) { JumpWhen = (_, _) => false, JumpBy = TimeSpan.Zero };
        await using var daemon = await DaemonHarness.StartAsync(config, clock);
        var first = daemon.Instance(0).NextRun!.Value;
        var halfMillisecond = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2);

        // The first slot passes, and the clock stops half a millisecond before the second.
        await daemon.AdvanceAsync(first + Interval - halfMillisecond - clock.GetUtcNow(), (0, 1));
        await Eventually.WaitAsync(() => clock.Waits.Contains(halfMillisecond) || daemon.Instance(0).Runs > 1, "the loop waits for its second slot, or runs it");

        Assert.That(daemon.Instance(0).Runs, Is.EqualTo(1), "the second slot has not come");
        await daemon.AdvanceAsync(halfMillisecond, (0, 2));
        await daemon.StopAsync();
        Assert.That(daemon.Instance(0).Runs, Is.EqualTo(2));
        Assert.That(replay.Requests, Is.EqualTo(2));
    }

    [Test]
    public async Task Two_runs_in_the_same_second_are_stamped_one_second_apart()
    {
        // Every second, the first run late enough to cross into the next second and the second on time: both fall in
        // one wall-clock second. Remote write and Datadog keep one sample per series and timestamp, so the second
        // run's points would overwrite or be refused as duplicates; each run gets a second of its own instead.
        await using var replay = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 1\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n");
        await using var daemon = await DaemonHarness.StartAsync(config);
        await Eventually.WaitAsync(() => daemon.Instance(0).NextRun is not null, "the first slot is known");
        var due = daemon.Instance(0).NextRun!.Value;
        long fraction = due.UtcTicks % TimeSpan.TicksPerSecond;
        Assume.That(fraction, Is.GreaterThan(1), "the slot is not on a whole second (one chance in ten million)");
        var nextWholeSecond = due.AddTicks(TimeSpan.TicksPerSecond - fraction);

        // The first run fires just past the whole second; the next slot (one interval after the first) is in that second too.
        await daemon.AdvanceAsync(nextWholeSecond.AddTicks(fraction / 2) - daemon.Clock.GetUtcNow(), (0, 1));
        await daemon.AdvanceAsync(due.AddSeconds(1) - daemon.Clock.GetUtcNow(), (0, 2));
        await daemon.StopAsync();

        var stamps = daemon.Written().Where(p => p.TryGetProperty("metric", out _)).Select(p => p.GetProperty("timestamp").GetInt64()).Distinct().Order().ToList();
        Assert.That(stamps, Is.EqualTo(new[] { nextWholeSecond.ToUnixTimeSeconds(), nextWholeSecond.ToUnixTimeSeconds() + 1 }));
    }

    /// <summary>Moves itself forward once, inside the creation of the first timer that <see cref="JumpWhen"/> picks.</summary>
    private sealed class JumpingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public required Func<DateTimeOffset, TimeSpan, bool> JumpWhen { get; init; }

        public required TimeSpan JumpBy { get; init; }

        public bool Jumped { get; private set; }

        /// <summary>The due times of the timers created so far.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Waits { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Enqueue(dueTime);
            if (!Jumped && dueTime > TimeSpan.Zero && JumpWhen(GetUtcNow(), dueTime))
            {
                Jumped = true;
                Advance(JumpBy);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
