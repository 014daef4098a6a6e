using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.DogStatsD;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.RemoteWrite;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Sinks.Syslog;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Sinks;

/// <summary>
/// Builds the configured sinks, metrics and alert logs, one <c>switch</c> on the sink type each (no registry:
/// NativeAOT). Every sink is a sender behind a <see cref="DeliveryQueue{TBatch}"/>; the sinks take their own
/// options records, which the configuration builds.
/// </summary>
internal static class SinkFactory
{
    /// <summary>The spool folders' parent under <c>state_dir</c>.</summary>
    public const string SpoolFolderName = "spool";

    /// <summary>
    /// Local sinks (console, file): a queue, so a blocked pipe never holds up a scrape, but no spool, and no quick
    /// retries (a write that failed is tried again after the pause, not five times in a row).
    /// </summary>
    public static readonly DeliveryOptions LocalDelivery = new() { SpoolMaxBytes = 0, MaxRetries = 0 };

    /// <summary>
    /// Every sink is a <see cref="QueuedSink"/>: its own bounded queue and worker on the shared delivery path, and,
    /// for network sinks when <paramref name="stateDir"/> is given, a disk spool in
    /// <c>state_dir/spool/&lt;type&gt;-&lt;hash of endpoint&gt;</c>. Delivery starts once <paramref name="startAfter"/> completes.
    /// </summary>
    public static QueuedSink Create(SinkConfig config, TextWriter console, TimeProvider clock, string? stateDir = null,
        ILogger? logger = null, Task? startAfter = null)
    {
        (IBatchSender<Batch> sender, DeliveryOptions delivery) = config switch
        {
            ConsoleSinkConfig c => ((IBatchSender<Batch>)new ConsoleSink(console, c.Format == ConsoleFormat.Json), LocalDelivery),
            FileSinkConfig f => (new FileSink(f.Path), LocalDelivery),
            DatadogSinkConfig d => (new DatadogSink(d.Options, clock), d.Options.Delivery),
            DogStatsDSinkConfig s => (new DogStatsDSink(s.Options), s.Options.Delivery),
            RemoteWriteSinkConfig r => (new RemoteWriteSink(r.Options, clock), r.Options.Delivery),
            OtlpSinkConfig o => (new OtlpSink(o.Options, clock), o.Options.Delivery),
            _ => throw new InvalidOperationException($"sink type '{config.Type}' has no implementation"),
        };
        string? spool = stateDir is null || delivery.SpoolMaxBytes == 0 ? null : SpoolFolder(stateDir, config, sender.Name);
        return new QueuedSink(sender, delivery, clock, spool, logger, startAfter);
    }

    /// <summary>
    /// Named by the sink's endpoint rather than its place in the list, so reordering <c>sinks:</c> keeps each
    /// spool with its backend, and a spool is never replayed to another backend. The name leaves out what may be
    /// secret (the query, the user, header values), which can be all that tells two backends apart (two tenants of
    /// one URL: <c>?tenant=</c>, <c>X-Scope-OrgID</c>, a Grafana Cloud user): those go into the hash too, only when
    /// present, so the folders of other sinks keep their names.
    /// </summary>
    public static string SpoolFolder(string stateDir, SinkConfig config, string sinkName)
    {
        var identity = new StringBuilder(sinkName);
        if (Endpoint(config) is { } endpoint && (endpoint.Url.Query.Length > 0 || endpoint.Username is not null || endpoint.Headers.Count > 0))
        {
            identity.Append('\n').Append(endpoint.Url.Query).Append('\n').Append(endpoint.Username);
            foreach (var (name, value) in endpoint.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                identity.Append('\n').Append(name.ToLowerInvariant()).Append(':').Append(value.Reveal());
            }
        }

        string hash = Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..12];
        return Path.Combine(stateDir, SpoolFolderName, config.Type + "-" + hash);
    }

    private static HttpEndpointOptions? Endpoint(SinkConfig config) => config switch
    {
        DatadogSinkConfig datadog => datadog.Options.Endpoint,
        RemoteWriteSinkConfig remoteWrite => remoteWrite.Options.Endpoint,
        OtlpSinkConfig otlp => otlp.Options.Endpoint,
        _ => null,
    };

    /// <summary>The sender of a log sink in <c>alerts.sinks</c>; the alert pipeline puts it behind its queue.</summary>
    public static IBatchSender<LogBatch> CreateLogSender(SinkConfig config, TextWriter console, TimeProvider clock) => config switch
    {
        DatadogLogsSinkConfig datadog => new DatadogLogsSink(datadog.Options, clock),
        FileSinkConfig file => new LogFileSink(file.Path),
        ConsoleSinkConfig => new LogConsoleSink(console),
        AlertmanagerSinkConfig alertmanager => new AlertmanagerSink(alertmanager.Options, clock),
        WebhookSinkConfig webhook => new WebhookSink(webhook.Options, clock),
        SyslogSinkConfig syslog => new SyslogSink(syslog.Options),
        NatsSinkConfig nats => new NatsSink(nats.Options),
        LokiSinkConfig loki => new LokiSink(loki.Options, clock),
        OtlpLogsSinkConfig otlp => new OtlpLogsSink(otlp.Options, clock),
        _ => throw new InvalidOperationException($"log sink type '{config.Type}' has no implementation"),
    };

    /// <summary>A log sink's spool folder: its position in <c>alerts.sinks</c> and type, stable across restarts.</summary>
    public static string LogSpoolFolder(int index, SinkConfig config) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{index}-{config.Type}");
}
