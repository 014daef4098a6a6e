using System.Text.Json.Serialization;

namespace FalcoCheck.Discovery.Api;

/// <summary>
/// Source-generated JSON (no reflection: NativeAOT) for the few Kubernetes API objects discovery reads. camelCase is
/// the API's own convention; fields we do not model are skipped.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(V1PodList))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(WatchEvent))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
