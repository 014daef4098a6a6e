using System.Security.Cryptography;
using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.DogStatsD;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.RemoteWrite;

namespace FalcoCheck.Runtime;

/// <summary>Builds the configured sinks, one <c>switch</c> on the sink type (no registry: NativeAOT).</summary>
internal static class SinkFactory
{
    /// <summary>The spool folders' parent under <c>state_dir</c>.</summary>
    public const string SpoolFolderName = "spool";

    /// <summary>
    /// Network sinks each get their own bounded queue and worker (<see cref="QueuedSink"/>), and, when
    /// <paramref name="stateDir"/> is given, a disk spool in <c>state_dir/spool/&lt;type&gt;-&lt;hash of endpoint&gt;</c>.
    /// </summary>
    public static IMetricSink Create(SinkConfig config, TextWriter console, TimeProvider clock, string? stateDir = null) => config switch
    {
        ConsoleSinkConfig c => new ConsoleSink(console, c.Format == ConsoleFormat.Json),
        FileSinkConfig f => new FileSink(f.Path),
        DatadogSinkConfig d => Queued(new DatadogSink(d.Options, clock), d.Options.Delivery, clock, config, stateDir),
        DogStatsDSinkConfig s => Queued(new DogStatsDSink(s.Options), s.Options.Delivery, clock, config, stateDir),
        RemoteWriteSinkConfig r => Queued(new RemoteWriteSink(r.Options, clock), r.Options.Delivery, clock, config, stateDir),
        OtlpSinkConfig o => Queued(new OtlpSink(o.Options, clock), o.Options.Delivery, clock, config, stateDir),
        _ => throw new InvalidOperationException($"sink type '{config.Type}' has no implementation"),
    };

    /// <summary>
    /// Named by the sink's endpoint rather than its place in the list, so reordering <c>sinks:</c> keeps each
    /// spool with its backend, and a spool is never replayed to another backend.
    /// </summary>
    public static string SpoolFolder(string stateDir, SinkConfig config, string sinkName)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sinkName)))[..12];
        return Path.Combine(stateDir, SpoolFolderName, config.Type + "-" + hash);
    }

    private static QueuedSink Queued(IBatchSender<Batch> sender, DeliveryOptions delivery, TimeProvider clock, SinkConfig config, string? stateDir) =>
        new(sender, delivery, clock, stateDir is null ? null : SpoolFolder(stateDir, config, sender.Name));
}
