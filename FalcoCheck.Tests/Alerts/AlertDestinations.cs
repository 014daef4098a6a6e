using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The six alert sinks' destinations of one <c>falcocheck run</c>, each with its own <c>minimum_priority</c>: the
/// real Alertmanager (Critical and above), nats-server with a JetStream stream over <c>falco.&gt;</c> made before
/// the first alert (Error), rsyslog over TCP (Warning), and the loopback OTLP (Notice), webhook (Informational) and
/// Loki (everything) intakes. Each is read back to the alerts' identities (<see cref="FalcoAlertReplay.Number"/>)
/// and the priority each arrived with.
/// </summary>
internal sealed class AlertDestinations : IAsyncDisposable
{
    public const string NatsStream = "FALCO";

    /// <summary>The NATS stream's duplicate window: the outage, the retry pause after it, and some slack.</summary>
    public static readonly TimeSpan NatsDuplicateWindow = TimeSpan.FromMinutes(5);

    private readonly ConcurrentQueue<byte[]> _hooked = new();
    private readonly TestHttpServer _webhook;
    private long _syslogOffset;
    private int _syslogLines;

    private AlertDestinations(AlertmanagerServer alertmanager, RsyslogServer rsyslog, NatsServer nats)
    {
        Alertmanager = alertmanager;
        Rsyslog = rsyslog;
        Nats = nats;
        _webhook = new TestHttpServer(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _hooked.Enqueue(body.ToArray());
            await TestHttpServer.WriteAsync(context, "ok"u8.ToArray());
        });
    }

    /// <summary>Each sink and the lowest priority it takes.</summary>
    public static IReadOnlyList<(string Sink, FalcoPriority Minimum)> Routes { get; } =
    [
        ("alertmanager", FalcoPriority.Critical),
        ("nats", FalcoPriority.Error),
        ("syslog", FalcoPriority.Warning),
        ("otlp_logs", FalcoPriority.Notice),
        ("webhook", FalcoPriority.Informational),
        ("loki", FalcoPriority.Debug),
    ];

    public AlertmanagerServer Alertmanager { get; }

    public RsyslogServer Rsyslog { get; }

    public NatsServer Nats { get; }

    public LokiIntake Loki { get; } = new();

    public OtlpLogsIntake Otlp { get; } = new();

    public Uri WebhookUrl => new($"http://127.0.0.1:{_webhook.Port}/hooks/falco");

    public static async Task<AlertDestinations> StartAsync()
    {
        var started = new List<IAsyncDisposable>();
        try
        {
            AlertmanagerServer alertmanager = await AlertmanagerServer.StartAsync();
            started.Add(alertmanager);
            RsyslogServer rsyslog = await RsyslogServer.StartAsync();
            started.Add(rsyslog);
            NatsServer nats = await NatsServer.StartAsync();
            started.Add(nats);
            await using (var setup = nats.Connect())
            {
                // File-backed: what the server took before an outage is still there after its restart. The server is
                // killed mid-request, so the NATS sink sends its last request again after the restart: up to 2 minutes
                // of outage plus the queue's retry pause (up to 60 s) after the alerts were stored, longer than the
                // default 2-minute duplicate window. 5 minutes covers it, so the stream drops the repeats by their ids.
                await NatsServer.CreateStreamAsync(setup, NatsStream, "falco.>", NatsDuplicateWindow);
            }

            return new AlertDestinations(alertmanager, rsyslog, nats);
        }
        catch
        {
            // No server left behind for the next test.
            foreach (IAsyncDisposable server in started)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public static FalcoPriority MinimumOf(string sink) => Routes.Single(r => r.Sink == sink).Minimum;

    /// <summary>The <c>alerts:</c> section of falcocheck.yaml: the receiver and the six sinks (queue and spool at their defaults).</summary>
    public string AlertsYaml(int receiverPort)
    {
        string Min(string sink) => YamlName(MinimumOf(sink));
        return $"""
            alerts:
              http:
                listen: 127.0.0.1:{receiverPort}
              sinks:
                - type: alertmanager
                  url: {Alertmanager.BaseUrl}
                  minimum_priority: {Min("alertmanager")}
                - type: nats
                  url: {Nats.Url}
                  minimum_priority: {Min("nats")}
                - type: syslog
                  host: 127.0.0.1
                  port: {Rsyslog.Port}
                  protocol: tcp
                  minimum_priority: {Min("syslog")}
                - type: otlp_logs
                  url: {Otlp.Url}
                  minimum_priority: {Min("otlp_logs")}
                - type: webhook
                  url: {WebhookUrl}
                  minimum_priority: {Min("webhook")}
                - type: loki
                  url: {Loki.Url}
                  minimum_priority: {Min("loki")}

            """;
    }

    private static string YamlName(FalcoPriority priority) => FalcoCheck.Sinks.Logs.AlertDocument.Name(priority).ToLowerInvariant();

    /// <summary>How many alerts each destination holds now (duplicates included), cheaply enough to poll.</summary>
    public async Task<Dictionary<string, long>> CountsAsync()
    {
        await using var reader = Nats.Connect();
        return new Dictionary<string, long>
        {
            ["alertmanager"] = await Alertmanager.ReceivedAsync(),
            ["nats"] = await NatsServer.StreamCountAsync(reader, NatsStream),
            ["syslog"] = SyslogLines(),
            ["otlp_logs"] = Otlp.Records.Count,
            ["webhook"] = _hooked.Count,
            ["loki"] = Loki.Entries.Count,
        };
    }

    /// <summary>
    /// Every alert each destination holds, as (identity, priority it arrived with), duplicates kept: Alertmanager's
    /// API (it merges equal label sets, so its received counter is checked beside), rsyslog's file, the JetStream
    /// stream, and the intakes' decoded records.
    /// </summary>
    public async Task<Dictionary<string, List<(int N, string Priority)>>> ReadBackAsync()
    {
        var result = new Dictionary<string, List<(int, string)>>();
        result["alertmanager"] = [.. (await Alertmanager.AlertsAsync()).Select(a =>
        {
            JsonElement labels = a.GetProperty("labels");
            return (FalcoAlertReplay.Number(labels.GetProperty("k8s_pod_name").GetString()), labels.GetProperty("priority").GetString()!);
        })];
        result["syslog"] = [.. Rsyslog.Received().Select(m => FromDocument(Encoding.UTF8.GetBytes(m[6].TrimStart('\uFEFF'))))];
        result["nats"] = await NatsAlertsAsync();
        result["otlp_logs"] = [.. Otlp.Records.Select(r => (
            FalcoAlertReplay.Number(r.Resource.Attributes.Single(a => a.Key == "k8s.pod.name").Value.StringValue), r.Record.SeverityText))];
        result["webhook"] = [.. _hooked.Select(FromDocument)];
        result["loki"] = [.. Loki.Entries.Select(e => FromDocument(Encoding.UTF8.GetBytes(e.Line)))];
        return result;
    }

    /// <summary>The stream's messages, read 8 at a time through JetStream's message-get API.</summary>
    private async Task<List<(int, string)>> NatsAlertsAsync()
    {
        await using var reader = Nats.Connect();
        long count = await NatsServer.StreamCountAsync(reader, NatsStream);
        var alerts = new ConcurrentQueue<(int, string)>();
        await Parallel.ForEachAsync(LongRange(1, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (seq, _) =>
        {
            byte[] request = Encoding.UTF8.GetBytes("{\"seq\":" + seq.ToString(CultureInfo.InvariantCulture) + "}");
            var reply = await reader.RequestAsync<byte[], byte[]>("$JS.API.STREAM.MSG.GET." + NatsStream, request);
            using JsonDocument message = JsonDocument.Parse(reply.Data!);
            alerts.Enqueue(FromDocument(Convert.FromBase64String(message.RootElement.GetProperty("message").GetProperty("data").GetString()!)));
        });
        return [.. alerts];
    }

    private static IEnumerable<long> LongRange(long from, long count)
    {
        for (long i = from; i < from + count; i++)
        {
            yield return i;
        }
    }

    /// <summary>(n, priority) of a FalcoCheck alert document, the JSON every sink but Alertmanager and OTLP carries.</summary>
    private static (int, string) FromDocument(byte[] document)
    {
        using JsonDocument json = JsonDocument.Parse(document);
        JsonElement root = json.RootElement;
        return (FalcoAlertReplay.Number(root.GetProperty("output_fields").GetProperty("k8s.pod.name").GetString()), root.GetProperty("priority").GetString()!);
    }

    /// <summary>Lines of rsyslog's file, counted from where the last call stopped.</summary>
    private int SyslogLines()
    {
        if (!File.Exists(Rsyslog.ReceivedPath))
        {
            return 0;
        }

        using var file = new FileStream(Rsyslog.ReceivedPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(_syslogOffset, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            _syslogLines += buffer.AsSpan(0, read).Count((byte)'\n');
            _syslogOffset += read;
        }

        return _syslogLines;
    }

    public async ValueTask DisposeAsync()
    {
        await _webhook.DisposeAsync();
        await Loki.DisposeAsync();
        await Otlp.DisposeAsync();
        await Nats.DisposeAsync();
        await Rsyslog.DisposeAsync();
        await Alertmanager.DisposeAsync();
    }
}
