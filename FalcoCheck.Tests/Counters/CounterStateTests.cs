using FalcoCheck.Counters;

namespace FalcoCheck.Tests.Counters;

internal sealed class CounterStateTests
{
    private const long Minute = 60_000;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>Falco started long before the first run (nanoseconds).</summary>
    private const long OldStartNs = 1_000_000L * 1_000_000;

    private static long NowMs => 10_000_000;

    [Test]
    public void First_sight_of_an_old_counter_only_sets_a_baseline()
    {
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta("c", 500, out _), Is.False);
    }

    [Test]
    public void The_next_run_gives_the_increase()
    {
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("c", 500, out _);
        state.EndRun();

        state.BeginRun(NowMs + 15_000, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta("c", 530, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(30));
    }

    [Test]
    public void A_counter_that_appears_after_the_first_run_counts_its_whole_value()
    {
        // Falco lists a rule's matches only once the rule has matched: the new series began since the last run.
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("matches{rule=a}", 500, out _);
        state.EndRun();

        state.BeginRun(NowMs + 15_000, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta("matches{rule=b}", 1, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(1));
    }

    [Test]
    public void After_a_restore_from_the_state_file_a_new_counter_counts_its_whole_value()
    {
        var state = new CounterState();
        state.Restore(OldStartNs, null, NowMs - 15_000, [new("matches{rule=a}", new CounterValue(500, NowMs - 15_000))]);

        state.BeginRun(NowMs, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta("matches{rule=b}", 3, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(3));
    }

    [Test]
    public void First_sight_flushes_the_raw_value_when_Falco_started_inside_the_interval()
    {
        var state = new CounterState();
        var startedFiveSecondsAgoNs = (NowMs - 5_000) * 1_000_000;
        state.BeginRun(NowMs, Interval, startedFiveSecondsAgoNs, null);

        Assert.That(state.TryGetDelta("c", 42, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(42));
    }

    [Test]
    public void A_reload_inside_the_interval_counts_as_a_start()
    {
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, (NowMs - 1_000) * 1_000_000);

        Assert.That(state.TryGetDelta("c", 7, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(7));
    }

    [Test]
    public void A_decrease_is_a_reset_not_a_negative_count()
    {
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("c", 500, out _);
        state.EndRun();
        state.BeginRun(NowMs + 15_000, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta("c", 20, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(20));
    }

    [Test]
    public void A_new_start_timestamp_gives_the_raw_value_even_when_it_is_higher()
    {
        var state = new CounterState();
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("c", 500, out _);
        state.EndRun();

        state.BeginRun(NowMs + 15_000, Interval, (NowMs + 10_000) * 1_000_000, null);

        Assert.That(state.Restarted, Is.True);
        Assert.That(state.TryGetDelta("c", 900, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(900));
    }

    [Test]
    public void Counters_not_seen_for_the_ttl_are_forgotten()
    {
        var state = new CounterState(new CounterStateOptions { Ttl = TimeSpan.FromMinutes(5) });
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("old", 1, out _);
        state.EndRun();

        state.BeginRun(NowMs + (10 * Minute), Interval, OldStartNs, null);
        state.TryGetDelta("new", 1, out _);
        state.EndRun();

        Assert.That(state.Values.Select(v => v.Key), Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void The_number_of_counters_kept_is_capped_and_refusals_are_counted()
    {
        var state = new CounterState(new CounterStateOptions { MaxContexts = 2 });
        state.BeginRun(NowMs, Interval, OldStartNs, null);
        state.TryGetDelta("a", 1, out _);
        state.TryGetDelta("b", 1, out _);
        state.TryGetDelta("c", 1, out _);

        Assert.That(state.Count, Is.EqualTo(2));
        Assert.That(state.Refused, Is.EqualTo(1));
    }
}
