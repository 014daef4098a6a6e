using FalcoCheck.Configuration;
using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>Builds the configured sinks, one <c>switch</c> on the sink type (no registry: NativeAOT).</summary>
internal static class SinkFactory
{
    public static IMetricSink Create(SinkConfig config, TextWriter console) => config switch
    {
        ConsoleSinkConfig c => new ConsoleSink(console, c.Format == ConsoleFormat.Json),
        FileSinkConfig f => new FileSink(f.Path),
        _ => throw new InvalidOperationException($"sink type '{config.Type}' has no implementation"),
    };
}
