using FalcoCheck.Alerts;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>What a body can hold: one alert, a pretty one, an array, NDJSON, and what is not an alert.</summary>
internal sealed class AlertBodyReaderTests
{
    private static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData(OneLine, 1, 0, null).SetName("one alert, as http_output posts it");
        yield return new TestCaseData(Pretty, 1, 0, null).SetName("one pretty-printed alert");
        yield return new TestCaseData($"[{Numbered(1)},{Numbered(2)}]", 2, 0, null).SetName("a JSON array");
        yield return new TestCaseData($"{Numbered(1)}\n{Numbered(2)}\n{Numbered(3)}\n", 3, 0, null).SetName("NDJSON");
        yield return new TestCaseData($"{Numbered(1)}\r\n\r\n{Numbered(2)}", 2, 0, null).SetName("NDJSON with CRLF and a blank line");
        yield return new TestCaseData($"{Numbered(1)}\n{{\"rule\": broken\n{Numbered(3)}\n", 2, 1, "line 2, column 10: not valid JSON")
            .SetName("NDJSON with a malformed line keeps the others");
        yield return new TestCaseData($"{Numbered(1)}\n{{\"output\":\"x\"}}\n", 1, 1, "line 2: not a Falco alert").SetName("NDJSON with a non-alert line");
        yield return new TestCaseData($"[{Numbered(1)}, 5]", 1, 1, "alert 2: expected an alert object, got a number").SetName("array with a number");
        yield return new TestCaseData("", 0, 1, "empty body").SetName("empty body");
        yield return new TestCaseData("  \n ", 0, 1, "empty body").SetName("whitespace body");
        yield return new TestCaseData("13:44:05: Critical A shell was spawned", 0, 1, "set json_output: true").SetName("Falco's text output");
        yield return new TestCaseData("13:44:05: Critical A shell was spawned\n" + Numbered(2) + "\n", 1, 1, "line 1: not JSON")
            .SetName("NDJSON whose first line is not JSON keeps the others");
        yield return new TestCaseData("xxxx\"}\n" + Numbered(2) + "\n" + Numbered(3), 2, 1, "line 1")
            .SetName("NDJSON starting with the tail of a cut line keeps the others");
        yield return new TestCaseData("{\"rule\":", 0, 1, "line 1, column 9: not valid JSON").SetName("cut JSON");
        yield return new TestCaseData("\uFEFF" + Numbered(1), 1, 0, null).SetName("a UTF-8 byte order mark");
    }

    [TestCaseSource(nameof(Bodies))]
    public void Reads_good_alerts_and_reports_the_rest(string body, int accepted, int rejected, string? reason)
    {
        AlertBatch batch = AlertBodyReader.Read(Utf8(body), Context());

        Assert.That(batch.Alerts, Has.Count.EqualTo(accepted));
        Assert.That(batch.Rejected, Is.EqualTo(rejected));
        if (reason is not null)
        {
            Assert.That(batch.Reasons[0], Does.Contain(reason));
        }
    }

    [Test]
    public void A_megabyte_of_garbage_lines_gives_a_short_answer()
    {
        string garbage = string.Concat(Enumerable.Repeat("{not json}\n", 100_000));

        AlertBatch batch = AlertBodyReader.Read(Utf8(garbage), Context());

        Assert.That(batch.Rejected, Is.EqualTo(100_000));
        Assert.That(batch.Reasons, Has.Count.EqualTo(AlertBatch.MaxReasons));
    }
}
