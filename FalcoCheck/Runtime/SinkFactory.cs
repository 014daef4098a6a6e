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
    public static IMetricSink Create(SinkConfig config, TextWriter console) => Create(config, console, TimeProvider.System);

    /// <summary>Network sinks each get their own bounded queue and worker (<see cref="QueuedSink"/>).</summary>
    public static IMetricSink Create(SinkConfig config, TextWriter console, TimeProvider clock) => config switch
    {
        ConsoleSinkConfig c => new ConsoleSink(console, c.Format == ConsoleFormat.Json),
        FileSinkConfig f => new FileSink(f.Path),
        DatadogSinkConfig d => new QueuedSink(new DatadogSink(d.Options, clock), d.Options.Delivery, clock),
        DogStatsDSinkConfig s => new QueuedSink(new DogStatsDSink(s.Options), s.Options.Delivery, clock),
        RemoteWriteSinkConfig r => new QueuedSink(new RemoteWriteSink(r.Options, clock), r.Options.Delivery, clock),
        OtlpSinkConfig o => new QueuedSink(new OtlpSink(o.Options, clock), o.Options.Delivery, clock),
        _ => throw new InvalidOperationException($"sink type '{config.Type}' has no implementation"),
    };
}
