using FalcoCheck.Runtime;

namespace FalcoCheck.Tests.Runtime;

/// <summary>Slots of one instance: a fixed offset inside the interval, never the same slot twice, skipped ticks counted.</summary>
internal sealed class RunScheduleTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    private static IEnumerable<TestCaseData> NextSlots()
    {
        var schedule = new RunSchedule(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(4));
        yield return new TestCaseData(schedule, Epoch.AddSeconds(0), Epoch.AddSeconds(4)).SetName("before the first slot: the offset");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(4), Epoch.AddSeconds(19)).SetName("on a slot: strictly after it");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(18.999), Epoch.AddSeconds(19)).SetName("a hair before a slot: that slot");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(1_000_000), Epoch.AddSeconds(1_000_009)).SetName("far from the epoch");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(-20), Epoch.AddSeconds(-11)).SetName("before the epoch");
    }

    private static IEnumerable<TestCaseData> Skips()
    {
        var schedule = new RunSchedule(TimeSpan.FromSeconds(10), TimeSpan.Zero);
        yield return new TestCaseData(schedule, Epoch.AddSeconds(10), Epoch.AddSeconds(10.5), 0).SetName("a quick run skips nothing");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(10), Epoch.AddSeconds(19.9), 0).SetName("a run ending before the next slot skips nothing");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(10), Epoch.AddSeconds(20), 1).SetName("ending on the next slot skips it");
        yield return new TestCaseData(schedule, Epoch.AddSeconds(10), Epoch.AddSeconds(35), 2).SetName("ending two and a half intervals late skips two");
    }

    [TestCaseSource(nameof(NextSlots))]
    public void Next_slot(RunSchedule schedule, DateTimeOffset after, DateTimeOffset expected) =>
        Assert.That(schedule.NextAfter(after), Is.EqualTo(expected));

    [TestCaseSource(nameof(Skips))]
    public void Skipped_ticks(RunSchedule schedule, DateTimeOffset due, DateTimeOffset finished, int expected) =>
        Assert.That(schedule.SkippedBetween(due, finished), Is.EqualTo(expected));

    [Test]
    public void The_offset_is_stable_for_an_endpoint_and_host_and_inside_the_interval()
    {
        var interval = TimeSpan.FromSeconds(15);
        var first = RunSchedule.For("http://10.0.0.1:8765/metrics", "node-1", interval);
        var again = RunSchedule.For("http://10.0.0.1:8765/metrics", "node-1", interval);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(first.Offset, Is.GreaterThanOrEqualTo(TimeSpan.Zero).And.LessThan(interval));
    }

    [Test]
    public void A_thousand_endpoints_spread_over_the_interval()
    {
        var interval = TimeSpan.FromSeconds(15);
        var offsets = Enumerable.Range(0, 1000)
            .Select(i => RunSchedule.For($"http://10.0.{i / 250}.{i % 250}:8765/metrics", "node", interval).Offset.TotalSeconds)
            .ToList();

        // Fifteen one-second buckets of ~67 each: none empty and none holding a quarter of the instances.
        var buckets = offsets.GroupBy(o => (int)o).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(buckets.Keys, Is.EquivalentTo(Enumerable.Range(0, 15)));
        Assert.That(buckets.Values.Max(), Is.LessThan(250));
    }
}
