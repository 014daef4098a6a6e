using System.Diagnostics;
using FalcoCheck.Parsing;

namespace FalcoCheck.Bench;

/// <summary>
/// Times one stage on one payload as the peers in ../shared/bench do: the payload is already in memory, N untimed
/// warm-up runs, then ITERATIONS timed runs on this thread. Allocation is this thread's, so the GC's own work and
/// other threads are not counted (GC.GetAllocatedBytesForCurrentThread).
/// </summary>
internal static class BenchRunner
{
    public static IStageRun Prepare(BenchStage stage, byte[] body) => stage switch
    {
        BenchStage.Parse => new ParseRun(body),
        BenchStage.Map => new MapRun(body),
        BenchStage.Encode => new EncodeRun(body),
        BenchStage.ParseOpenMetrics => new ParseRun(body, format: TextFormat.OpenMetrics),
        BenchStage.ParseOpenMetricsStrict => new ParseRun(body, format: TextFormat.OpenMetrics, strict: true),
        _ => new PipelineRun(body),
    };

    public static BenchResult Run(BenchStage stage, string payloadName, byte[] body, int warmup, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (stage is BenchStage.ParseOpenMetrics or BenchStage.ParseOpenMetricsStrict)
        {
            // Timed and counted (bytes, MB/s) on the OpenMetrics body, rendered once before timing.
            body = OpenMetricsRendering.From(body);
        }

        using var run = Prepare(stage, body);
        long checksum = 0;
        for (var i = 0; i < warmup; i++)
        {
            checksum += run.RunOnce();
        }

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            checksum += run.RunOnce();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        GC.KeepAlive(checksum);
        return new BenchResult(payloadName, body.Length, run.Series, iterations, elapsed.TotalSeconds, allocated, stage, cpu.TotalSeconds);
    }
}
