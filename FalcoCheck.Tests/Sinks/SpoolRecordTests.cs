using System.Text;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Tests.Sinks;

/// <summary>A batch written to the spool and read back is the same batch, with what was already delivered passed.</summary>
internal sealed class SpoolRecordTests
{
    [Test]
    public void Every_field_of_points_checks_and_events_survives_the_round_trip()
    {
        var falcoEvent = new FalcoEvent("falco.rules.file.changed", "Rules changed", "falco_rules.yaml \"changed\"\n", SinkSamples.Timestamp, "node-1", ["a:b"], "warning");
        var submission = SinkSamples.Submission with { Events = [falcoEvent] };
        var original = new Batch(submission, withEvents: true);
        original.Advance(1, 0, sent: true);

        var restored = SpoolRecord.Decode(SpoolRecord.Encode(original), out string? error)!;

        Assert.That(error, Is.Null);
        Assert.That(restored.AllPoints.ToArray(), Is.EqualTo(original.AllPoints.ToArray()).Using<MetricPoint>(SamePoint));
        Assert.That(restored.AllChecks.ToArray(), Is.EqualTo(original.AllChecks.ToArray()).Using<ServiceCheck>(SameCheck));
        Assert.That(restored.AllEvents[0] with { Tags = [] }, Is.EqualTo(falcoEvent with { Tags = [] }));
        Assert.That(restored.AllEvents[0].Tags, Is.EqualTo(falcoEvent.Tags));
        Assert.That(restored.FalcoVersion, Is.EqualTo("0.40.0"));
        Assert.That((restored.PointsDone, restored.Remaining), Is.EqualTo((1, original.Remaining)), "what was delivered stays delivered");
    }

    [Test]
    public void Values_json_cannot_hold_keep_their_meaning()
    {
        var points = new[] { SinkSamples.Rss with { Value = double.PositiveInfinity }, SinkSamples.Rss with { Value = double.NaN }, SinkSamples.Rss with { Value = 0.1 + 0.2 } };
        var restored = SpoolRecord.Decode(SpoolRecord.Encode(new Batch(new Submission("t", points, []))), out _)!;

        Assert.That(restored.AllPoints.ToArray().Select(p => p.Value), Is.EqualTo(new[] { double.PositiveInfinity, double.NaN, 0.1 + 0.2 }));
    }

    [TestCase("{\"v\":1,\"points\":[{\"name\":\"x\"}]}", "unreadable spool record")]
    [TestCase("{\"v\":99}", "another FalcoCheck version")]
    [TestCase("not json", "unreadable spool record")]
    public void A_damaged_record_is_refused_with_a_reason(string line, string reason)
    {
        Assert.That(SpoolRecord.Decode(Encoding.UTF8.GetBytes(line), out string? error), Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    private static bool SamePoint(MetricPoint a, MetricPoint b) =>
        a with { Tags = [] } == b with { Tags = [] } && a.Tags.SequenceEqual(b.Tags);

    private static bool SameCheck(ServiceCheck a, ServiceCheck b) =>
        a with { Tags = [] } == b with { Tags = [] } && a.Tags.SequenceEqual(b.Tags);
}
