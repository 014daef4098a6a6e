using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FalcoCheck.Alerts;
using FalcoCheck.Tests.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The constructed metrics snapshot alerts of samples/metrics-snapshots (see its README: built from Falco's documented
/// and source format, each the snapshot of a real /metrics body in samples/demo), and ways to move them on in time.
/// </summary>
internal static class SnapshotSamples
{
    public static string Folder => Path.Combine(RepoPaths.Root, "samples", "metrics-snapshots");

    /// <summary>Snapshot file ─► the real scrape it is the snapshot of.</summary>
    public static IEnumerable<TestCaseData> Pairs()
    {
        foreach (string kind in (string[])["base", "rules", "resource", "state", "kernel"])
        {
            yield return new TestCaseData($"snapshot_falco-0.41.0_{kind}.json", $"falco-0.41.0_prometheus_{kind}.prom.txt").SetName("0.41.0 " + kind);
        }

        yield return new TestCaseData("snapshot_falco-0.39.0_all.json", FixtureFiles.Falco039).SetName("0.39.0 all switches");
    }

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name)).Trim();

    public static JsonObject Parse(string name) => JsonNode.Parse(Read(name))!.AsObject();

    public static JsonObject Fields(JsonObject alert) => alert["output_fields"]!.AsObject();

    public static string Line(JsonObject alert) => alert.ToJsonString();

    public static AlertContext Context(string output = AlertContext.HttpOutput) =>
        new("agent-host", "falco", ["env:test"], TimeProvider.System) { Output = output };

    /// <summary>Translates one snapshot alert (from its JSON text) and returns the Prometheus text and the notices.</summary>
    public static (MetricsSnapshot? Snapshot, string Text, List<string> Notices, string? Error) Translate(string json, AlertContext? context = null)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var notices = new List<string>();
        MetricsSnapshot? snapshot = MetricsSnapshotTranslator.Translate(document.RootElement, context ?? Context(), "line 7", notices, out string? error);
        return (snapshot, snapshot is null ? string.Empty : Encoding.UTF8.GetString(snapshot.Body), notices, error);
    }

    /// <summary>
    /// Adds <paramref name="step"/> seconds and the given increases to a snapshot's counters (field name ─► increase),
    /// and the same to the equivalent Prometheus body (sample line prefix ─► increase), so both describe the same later moment.
    /// </summary>
    public static (JsonObject Snapshot, string Scrape) Later(JsonObject snapshot, string scrape, int step,
        IReadOnlyList<(string Field, string Sample, long Increase)> counters)
    {
        var later = JsonNode.Parse(snapshot.ToJsonString())!.AsObject();
        JsonObject fields = Fields(later);
        fields["falco.duration_sec"] = fields["falco.duration_sec"]!.GetValue<long>() + step;
        fields["evt.time"] = fields["evt.time"]!.GetValue<long>() + (step * 1_000_000_000L);
        var lines = scrape.Split('\n').ToList();
        Bump(lines, "falcosecurity_falco_duration_seconds_total ", step);
        foreach ((string field, string sample, long increase) in counters)
        {
            fields[field] = fields[field]!.GetValue<long>() + increase;
            Bump(lines, sample, increase);
        }

        return (later, string.Join('\n', lines));
    }

    private static void Bump(List<string> lines, string prefix, long increase)
    {
        int i = lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (i < 0)
        {
            throw new InvalidOperationException("no sample line starts with " + prefix);
        }

        int space = lines[i].LastIndexOf(' ');
        long value = long.Parse(lines[i][(space + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        lines[i] = string.Concat(lines[i].AsSpan(0, space + 1), (value + increase).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
