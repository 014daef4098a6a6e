using FalcoCheck.Configuration;

namespace FalcoCheck.Discovery;

/// <summary>
/// A Falco pod as discovery sees it: its instances (conf.d's <see cref="InstanceConfig"/>, tagged with the pod's
/// Kubernetes metadata) or the errors of its annotations. <see cref="Fingerprint"/> covers everything the
/// instances were made from, so an update that changes none of it keeps the same instances (and their loops).
/// </summary>
internal sealed record DiscoveredPod(string Uid, string Name, string Source, string Fingerprint, IReadOnlyList<InstanceConfig> Instances, IReadOnlyList<string> Errors);
