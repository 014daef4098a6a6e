using System.Text.RegularExpressions;
using FalcoCheck.Mapping;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Docs;

/// <summary>The README documents every metric FalcoCheck can send, so the manual cannot drift from the code.</summary>
internal sealed partial class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    [Test]
    public void The_metric_table_lists_every_metric_of_the_mapping_table()
    {
        var readme = Readme;
        var names = FalcoMetricTable.Rows.Select(r => r.Name).Concat(FalcoMetricTable.Rows.Where(r => r.GaugeTwin is not null).Select(r => r.GaugeTwin!));

        Assert.That(names.Where(n => !readme.Contains("| `" + n + "` |", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void The_metric_table_lists_every_derived_metric()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "FalcoCheck", "Mapping", "FalcoSignals.cs"));
        var derived = DerivedName().Matches(source).Select(m => m.Groups[1].Value).Where(n => n != FalcoCheck.Mapping.FalcoSignals.DriftEvent).Distinct().ToList();
        var readme = Readme;

        Assert.That(derived, Has.Count.GreaterThanOrEqualTo(8));
        Assert.That(derived.Where(n => !readme.Contains("| `" + n + "` |", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Every_metric_in_the_readme_table_is_one_FalcoCheck_can_send()
    {
        var known = FalcoMetricTable.Rows.Select(r => r.Name).Concat(FalcoMetricTable.Rows.Where(r => r.GaugeTwin is not null).Select(r => r.GaugeTwin!)).ToHashSet();
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "FalcoCheck", "Mapping", "FalcoSignals.cs"));
        known.UnionWith(DerivedName().Matches(source).Select(m => m.Groups[1].Value));
        // The daemon's own metrics (falco.check.*).
        var selfTelemetry = File.ReadAllText(Path.Combine(RepoPaths.Root, "FalcoCheck", "Runtime", "SelfTelemetry.cs"));
        known.UnionWith(DerivedName().Matches(selfTelemetry).Select(m => m.Groups[1].Value));
        // The alert reconciliation's gauges (falco.alerts.unreceived, falco.alerts.received_ratio).
        var reconciliation = File.ReadAllText(Path.Combine(RepoPaths.Root, "FalcoCheck", "Alerts", "AlertReconciliation.cs"));
        known.UnionWith(DerivedName().Matches(reconciliation).Select(m => m.Groups[1].Value));

        var listed = TableRow().Matches(Readme).Select(m => m.Groups[1].Value).Where(n => !n.Contains('<', StringComparison.Ordinal)).ToList();

        Assert.That(listed, Has.Count.GreaterThanOrEqualTo(70));
        Assert.That(listed.Where(n => !known.Contains(n)), Is.Empty);
    }

    [GeneratedRegex("\"(falco\\.[a-z_.]+)\"")]
    private static partial Regex DerivedName();

    [GeneratedRegex(@"^\| `(falco\.[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
