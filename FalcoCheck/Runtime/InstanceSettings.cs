using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Scraping;

namespace FalcoCheck.Runtime;

/// <summary>Everything one instance needs, resolved from the agent and instance configuration.</summary>
internal sealed record InstanceSettings
{
    public required int Index { get; init; }

    /// <summary>The endpoint without credentials or query: how the instance is named everywhere.</summary>
    public required string Name { get; init; }

    /// <summary>The full endpoint URL (never printed).</summary>
    public required string Endpoint { get; init; }

    /// <summary>1 for the first instance of its endpoint, 2 for a second one (other filters, say), and so on.</summary>
    public int Occurrence { get; init; } = 1;

    /// <summary>Names the counter state file: the endpoint, and the occurrence from the second on, so two instances of one endpoint keep their own counters.</summary>
    public string StateKey => Occurrence == 1 ? Endpoint : Endpoint + "#" + Occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Made from a pod by Kubernetes discovery: its state file has a name of its own (<c>falco_pod_…</c>) and is
    /// deleted when the pod goes, so pod churn does not fill state_dir.
    /// </summary>
    public bool Discovered { get; init; }

    /// <summary>Host the series are submitted for.</summary>
    public required string Host { get; init; }

    public required TimeSpan MinCollectionInterval { get; init; }

    public required ScraperOptions Scraper { get; init; }

    public required MappingOptions Mapping { get; init; }

    public CounterStateOptions Counters { get; init; } = new();

    public bool EnableHealthServiceCheck { get; init; } = true;

    public bool IgnoreConnectionErrors { get; init; }

    /// <summary>Most distinct rules per interval (max_rules); 0 for no cap.</summary>
    public int MaxRules { get; init; }

    /// <summary>Tags of the health service check: endpoint, the instance's tags and the agent's.</summary>
    public required string[] HealthTags { get; init; }
}
