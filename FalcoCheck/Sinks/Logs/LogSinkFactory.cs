using FalcoCheck.Configuration;

namespace FalcoCheck.Sinks.Logs;

/// <summary>Builds the configured log sinks, one <c>switch</c> on the record (no registry: NativeAOT).</summary>
internal static class LogSinkFactory
{
    public static FalcoCheck.Sinks.Delivery.IBatchSender<LogBatch> Create(SinkConfig config, TextWriter console) => config switch
    {
        DatadogLogsSinkConfig datadog => new DatadogLogsSink(datadog),
        FileSinkConfig file => new LogFileSink(file.Path),
        ConsoleSinkConfig => new LogConsoleSink(console),
        _ => throw new InvalidOperationException($"log sink type '{config.Type}' has no implementation"),
    };

    /// <summary>The sink's spool folder: its position in <c>alerts.sinks</c> and type, stable across restarts.</summary>
    public static string SpoolFolder(int index, SinkConfig config) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{index}-{config.Type}");
}
