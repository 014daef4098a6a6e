using FalcoCheck.Counters;
using FalcoCheck.Mapping;

namespace FalcoCheck.Tests.Counters;

/// <summary>
/// Counter state keyed by the scrape's <see cref="SeriesContext"/> is the same state as keyed by its text
/// (<c>name|host|sorted tags</c>): state files written before, and the text form, still match.
/// </summary>
internal sealed class CounterContextKeyTests
{
    private const long OldStartNs = 1_000_000L * 1_000_000;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("falcocheck-state-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static SeriesContext Rule(string rule, string? host = "h") =>
        new("falco.rules.matches", MetricKind.MonotonicCount, null, [$"rule:{rule}", "priority:Notice", "source:syscall"], host);

    [Test]
    public void A_context_is_kept_under_its_key_text_with_tags_sorted()
    {
        var state = new CounterState();
        state.BeginRun(10_000_000, Interval, OldStartNs, null);
        state.TryGetDelta(Rule("Shell"), 5, out _);

        Assert.That(state.Values.Single().Key, Is.EqualTo("falco.rules.matches|h|priority:Notice,rule:Shell,source:syscall"));
    }

    [Test]
    public void A_context_finds_the_counter_restored_under_its_text()
    {
        var state = new CounterState();
        state.Restore(OldStartNs, null, 10_000_000, [new("falco.rules.matches|h|priority:Notice,rule:Shell,source:syscall", new CounterValue(40, 10_000_000))]);
        state.BeginRun(10_015_000, Interval, OldStartNs, null);

        Assert.That(state.TryGetDelta(Rule("Shell"), 46, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(6));
        Assert.That(state.Count, Is.EqualTo(1));
    }

    [Test]
    public void Equal_contexts_text_and_context_share_one_counter_and_others_do_not()
    {
        var state = new CounterState();
        state.BeginRun(10_000_000, Interval, OldStartNs, null);
        state.TryGetDelta(Rule("Shell"), 5, out _);
        state.EndRun();

        state.BeginRun(10_015_000, Interval, OldStartNs, null);
        Assert.That(state.TryGetDelta(Rule("Shell"), 7, out var fromOtherObject), Is.True);
        Assert.That(fromOtherObject, Is.EqualTo(2));
        Assert.That(state.TryGetDelta("falco.rules.matches|h|priority:Notice,rule:Shell,source:syscall", 10, out var fromText), Is.True);
        Assert.That(fromText, Is.EqualTo(3));
        Assert.That(state.TryGetDelta(Rule("Shell", host: "other"), 100, out _), Is.True, "another host is a new counter");
        Assert.That(state.TryGetDelta(Rule("Write"), 100, out _), Is.True, "another rule is a new counter");
        Assert.That(state.Count, Is.EqualTo(3));
    }

    [Test]
    public async Task Counters_kept_by_context_round_trip_through_the_state_file()
    {
        var state = new CounterState();
        state.BeginRun(10_000_000, Interval, OldStartNs, null);
        state.TryGetDelta(Rule("Shell"), 12, out _);
        state.TryGetDelta(Rule("Write", host: null), 3, out _);
        state.EndRun();
        using (var file = await StateFile.AcquireAsync(_folder, "http://127.0.0.1:8765/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            file.Save(state);
        }

        var loaded = new CounterState();
        using (var file = await StateFile.AcquireAsync(_folder, "http://127.0.0.1:8765/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            Assert.That(file.LoadInto(loaded), Is.Null);
        }

        Assert.That(loaded.Values.Select(v => v.Key).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "falco.rules.matches|h|priority:Notice,rule:Shell,source:syscall",
            "falco.rules.matches||priority:Notice,rule:Write,source:syscall",
        }));
        loaded.BeginRun(10_015_000, Interval, OldStartNs, null);
        Assert.That(loaded.TryGetDelta(Rule("Shell"), 20, out var delta), Is.True);
        Assert.That(delta, Is.EqualTo(8));
    }
}
