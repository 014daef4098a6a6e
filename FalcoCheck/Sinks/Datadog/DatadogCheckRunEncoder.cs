using System.Buffers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// The body of <c>POST /api/v1/check_run</c>, pure: a JSON array of service checks
/// <code>[{"check":"falco.openmetrics.health","host_name":"node-1","status":0,"timestamp":1747146400,"message":"","tags":["endpoint:…","falco_version:0.40.0"]}]</code>
/// Falco's version rides on the health check as a <c>falco_version</c> tag (series keep their contexts across upgrades).
/// </summary>
internal sealed class DatadogCheckRunEncoder : IDisposable
{
    /// <summary>Datadog documents no check_run limit; the v2 series limit (512000 bytes) is a safe bound for a few checks.</summary>
    public const int MaxBytes = 512_000;

    private readonly JsonItemWriter _writer = new();

    /// <summary>Writes as many checks as fit; returns how many.</summary>
    public int Write(ReadOnlySpan<ServiceCheck> checks, string? falcoVersion, IBufferWriter<byte> output) =>
        _writer.WriteArray(checks, "["u8, "]"u8, MaxBytes, output, (writer, check) => WriteCheck(writer, check, falcoVersion));

    public void Dispose() => _writer.Dispose();

    private static void WriteCheck(JsonItemWriter writer, ServiceCheck check, string? falcoVersion)
    {
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteString("check"u8, check.Name);
        json.WriteString("host_name"u8, check.Host);
        json.WriteNumber("status"u8, (int)check.Status);
        json.WriteNumber("timestamp"u8, check.Timestamp);
        json.WriteString("message"u8, check.Message);
        json.WriteStartArray("tags"u8);
        foreach (var tag in DatadogTags.Normalize(check.Tags))
        {
            json.WriteStringValue(tag);
        }

        if (falcoVersion is not null)
        {
            json.WriteStringValue(DatadogTags.Normalize("falco_version:" + falcoVersion));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
