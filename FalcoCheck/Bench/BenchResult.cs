using System.Buffers;
using System.Text.Json;

namespace FalcoCheck.Bench;

/// <summary>
/// One timed run, printed as the one JSON line of the peers in ../shared/bench (their README: "JSON fields"), plus
/// the allocation per iteration, the stage and the process CPU time. MB = 10^6 bytes of the payload.
/// </summary>
internal sealed record BenchResult(
    string Payload,
    long Bytes,
    int Series,
    int Iterations,
    double SecondsTotal,
    long AllocatedBytes,
    BenchStage Stage,
    double CpuSecondsTotal)
{
    public const string Peer = "falcocheck";

    public double MegabytesPerSecond => Bytes * (double)Iterations / SecondsTotal / 1e6;

    public double SeriesPerSecond => Series * (double)Iterations / SecondsTotal;

    public double MicrosecondsPerIteration => SecondsTotal / Iterations * 1e6;

    public long AllocatedBytesPerIteration => AllocatedBytes / Iterations;

    public static string StageName(BenchStage stage) => stage switch
    {
        BenchStage.Parse => "parse",
        BenchStage.Map => "map",
        BenchStage.Encode => "encode",
        BenchStage.ParseOpenMetrics => "parse-openmetrics",
        BenchStage.ParseOpenMetricsStrict => "parse-openmetrics-strict",
        _ => "pipeline",
    };

    public void WriteTo(IBufferWriter<byte> output)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("peer", Peer);
            json.WriteString("payload", Payload);
            json.WriteNumber("bytes", Bytes);
            json.WriteNumber("series", Series);
            json.WriteNumber("iterations", Iterations);
            json.WriteNumber("seconds_total", SecondsTotal);
            json.WriteNumber("mb_per_s", MegabytesPerSecond);
            json.WriteNumber("series_per_s", SeriesPerSecond);
            // The peers' name for the time of one iteration, whatever the stage.
            json.WriteNumber("us_per_parse", MicrosecondsPerIteration);
            json.WriteNumber("allocated_bytes_per_iteration", AllocatedBytesPerIteration);
            json.WriteString("stage", StageName(Stage));
            json.WriteNumber("cpu_seconds_total", CpuSecondsTotal);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>The line the peers print when they cannot run: <c>peer</c>, <c>payload</c> and <c>error</c>.</summary>
    public static void WriteError(string payload, string error, IBufferWriter<byte> output)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("peer", Peer);
            json.WriteString("payload", payload);
            json.WriteString("error", error);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }
}
