using FalcoCheck.Alerts;

namespace FalcoCheck.Tests.Alerts;

internal sealed class FalcoTimeTests
{
    [TestCase("2023-05-25T13:44:05.478445995Z", 1685022245478445995L, TestName = "Falco's nine digits")]
    [TestCase("2023-05-25T13:44:05Z", 1685022245000000000L, TestName = "no fraction")]
    [TestCase("2023-05-25T13:44:05.5Z", 1685022245500000000L, TestName = "one digit")]
    [TestCase("2023-05-25T13:44:05.4784459951234Z", 1685022245478445995L, TestName = "digits past nanoseconds are dropped")]
    [TestCase("2023-05-25T15:44:05.478445995+02:00", 1685022245478445995L, TestName = "an offset")]
    [TestCase("2023-05-25t13:44:05.478445995z", 1685022245478445995L, TestName = "lower-case t and z")]
    [TestCase("1970-01-01T00:00:00.000000001Z", 1L, TestName = "one nanosecond")]
    public void Parses_RFC_3339_with_nanoseconds(string text, long expected)
    {
        Assert.That(FalcoTime.TryParseUnixNanos(text, out long nanos), Is.True);
        Assert.That(nanos, Is.EqualTo(expected));
    }

    [TestCase("", TestName = "empty")]
    [TestCase("2023-05-25", TestName = "date only")]
    [TestCase("2023-05-25T13:44:05.Z", TestName = "dot without digits")]
    [TestCase("2023-05-25T13:44:05.123", TestName = "no zone")]
    [TestCase("2023-13-25T13:44:05Z", TestName = "month 13")]
    [TestCase("2023-05-25T13:44:05+2:00", TestName = "short offset")]
    public void Refuses_what_is_not_RFC_3339(string text) =>
        Assert.That(FalcoTime.TryParseUnixNanos(text, out _), Is.False);

    [Test]
    public void Formats_as_Falco_does() =>
        Assert.That(FalcoTime.Format(1685022245478445995), Is.EqualTo("2023-05-25T13:44:05.478445995Z"));

    [TestCase("T1059", true)]
    [TestCase("T1059.004", true)]
    [TestCase("T105", false)]
    [TestCase("T1059.04", false)]
    [TestCase("mitre_execution", false)]
    [TestCase("t1059", false)]
    public void Knows_a_MITRE_technique_id(string tag, bool expected) =>
        Assert.That(AlertEnricher.IsMitreTechnique(tag), Is.EqualTo(expected));
}
