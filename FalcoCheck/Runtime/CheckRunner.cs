using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Counters;
using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>
/// The one-shot check: runs every instance once (bounded concurrency), submits to the configured sinks, prints
/// what was submitted and one summary line per instance. One failing instance or sink never stops the others.
/// </summary>
internal sealed class CheckRunner(AgentConfig agent, CheckConfig check, TextWriter output, TextWriter errors, TimeProvider clock)
{
    public const int ExitOk = 0;
    public const int ExitCritical = 1;
    public const int ExitConfigError = 2;

    /// <summary>How long a run waits for another run holding the same instance's state file.</summary>
    private static readonly TimeSpan StateLockWait = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(CheckRunOptions options, CancellationToken cancellationToken)
    {
        foreach (var error in check.Errors)
        {
            await errors.WriteLineAsync(error.ToString()).ConfigureAwait(false);
        }

        var selected = InstanceSettingsFactory.CreateAll(check.Instances, agent).Where(i => options.Instance is null || i.Index == options.Instance).ToList();
        if (options.Instance is { } wanted && selected.Count == 0)
        {
            await errors.WriteLineAsync($"no valid instance {wanted} in {check.SourceFile} ({check.DeclaredInstanceCount} declared)").ConfigureAwait(false);
            return ExitConfigError;
        }

        // `check` prints what it submits itself; a console sink would print it twice. A --rate preview leaves
        // state_dir alone, spool included.
        var spoolIn = options.Persist ? agent.StateDir : null;
        var sinks = agent.Sinks.Where(s => s is not ConsoleSinkConfig).Select(s => SinkFactory.Create(s, output, clock, spoolIn)).ToList();
        try
        {
            using var gate = new SemaphoreSlim(Math.Max(1, agent.MaxConcurrentScrapes));
            var runs = selected.Select(settings => RunInstanceAsync(settings, options, gate, cancellationToken)).ToList();
            var results = await Task.WhenAll(runs).ConfigureAwait(false);

            var sinkFailed = false;
            foreach (var result in results.OrderBy(r => r.Index))
            {
                await PrintAsync(result, options.Json).ConfigureAwait(false);
                foreach (var sink in sinks)
                {
                    var sent = await sink.SendAsync(result.Submission, cancellationToken).ConfigureAwait(false);
                    if (!sent.Success)
                    {
                        sinkFailed = true;
                        await errors.WriteLineAsync($"sink {sink.Name}: {sent.Error}").ConfigureAwait(false);
                    }
                }
            }

            if (check.Errors.Count > 0)
            {
                return ExitConfigError;
            }

            return results.Any(r => r.Status == ServiceCheckStatus.Critical) || sinkFailed ? ExitCritical : ExitOk;
        }
        finally
        {
            foreach (var sink in sinks)
            {
                long spooledBefore = sink.Counts.Spooled;
                await sink.DisposeAsync().ConfigureAwait(false);
                if (sink.Counts.Spooled > spooledBefore)
                {
                    // Flushed or not, the user learns where the points are: the next run sends them first.
                    await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"sink {sink.Name}: {sink.Counts.Spooled - spooledBefore} item(s) kept in the disk spool under {agent.StateDir}; the next run sends them first")).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<InstanceRunResult> RunInstanceAsync(InstanceSettings settings, CheckRunOptions options, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var instance = new Instance(settings, clock);
            if (options.Rate)
            {
                await instance.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(options.RateInterval ?? settings.MinCollectionInterval, clock, cancellationToken).ConfigureAwait(false);
                return await instance.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            StateFile state;
            try
            {
                state = await StateFile.AcquireAsync(agent.StateDir, instance.Settings.StateKey, discovered: false, StateLockWait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // One unusable state_dir (not ours, read-only, a lock held for a minute) costs the counts, not the run.
                await errors.WriteLineAsync($"cannot use counter state in {agent.StateDir}: {e.Message}; this run's counts start from a baseline").ConfigureAwait(false);
                return await instance.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            using var held = state;
            if (state.LoadInto(instance.Counters) is { } warning)
            {
                await errors.WriteLineAsync(warning).ConfigureAwait(false);
            }

            var result = await instance.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                state.Save(instance.Counters);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await errors.WriteLineAsync($"cannot save counter state to {state.Path}: {e.Message}").ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task PrintAsync(InstanceRunResult result, bool json)
    {
        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>();
            JsonLinesEncoder.Write(result.Submission, buffer);
            WriteSummaryJson(result, buffer);
            await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan)).ConfigureAwait(false);
        }
        else
        {
            TableEncoder.Write(result.Submission, output);
            await output.WriteLineAsync(Summary(result)).ConfigureAwait(false);
        }

        await output.FlushAsync().ConfigureAwait(false);
    }

    private static string Summary(InstanceRunResult r)
    {
        var status = r.Skipped ? "SKIPPED" : JsonLinesEncoder.StatusName(r.Status).ToUpperInvariant();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"instance {r.Index} {r.Name}: {status}");
        if (r.FalcoVersion is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", Falco {r.FalcoVersion}");
        }

        text.Append(CultureInfo.InvariantCulture, $", {r.Submission.Metrics.Count} series submitted ({r.SeriesScraped} scraped, {r.SeriesDropped} not submitted, {r.DuplicateSeries} duplicates, {r.InvalidLines} bad lines), {r.Submission.ServiceChecks.Count} service check(s), {r.PayloadBytes} bytes in {r.Duration.TotalMilliseconds:0} ms");
        if (r.Message.Length > 0)
        {
            text.Append(" — ").Append(r.Message);
        }

        return text.ToString();
    }

    private static void WriteSummaryJson(InstanceRunResult r, IBufferWriter<byte> buffer)
    {
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("instance", r.Index);
            json.WriteString("endpoint", r.Name);
            json.WriteString("status", r.Skipped ? "skipped" : JsonLinesEncoder.StatusName(r.Status));
            json.WriteString("message", r.Message);
            if (r.FalcoVersion is null)
            {
                json.WriteNull("falco_version");
            }
            else
            {
                json.WriteString("falco_version", r.FalcoVersion);
            }

            json.WriteNumber("series_submitted", r.Submission.Metrics.Count);
            json.WriteNumber("series_scraped", r.SeriesScraped);
            json.WriteNumber("series_not_submitted", r.SeriesDropped);
            json.WriteNumber("duplicate_series", r.DuplicateSeries);
            json.WriteNumber("merged_series", r.MergedSeries);
            json.WriteNumber("invalid_lines", r.InvalidLines);
            json.WriteStartObject("limits_hit");
            foreach (var hit in r.LimitHits)
            {
                json.WriteNumber(hit.Setting, hit.Count);
            }

            json.WriteEndObject();
            json.WriteNumber("payload_bytes", r.PayloadBytes);
            json.WriteNumber("duration_ms", Math.Round(r.Duration.TotalMilliseconds, 3));
            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }
}
