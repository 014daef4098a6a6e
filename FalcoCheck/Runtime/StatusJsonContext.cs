using System.Text.Json.Serialization;

namespace FalcoCheck.Runtime;

/// <summary>Source-generated JSON for the status endpoint and <c>falcocheck status</c> (no reflection: NativeAOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
