using System.Globalization;
using System.Text.Json;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// Debian's <c>prometheus-alertmanager</c> on a free loopback port, clustering off, with a receiver that notifies
/// nobody: the alerts it holds are read back through its API v2, and what it received through its own counter.
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly ServerProcess _server;

    private AlertmanagerServer(ServerProcess server) => _server = server;

    public string BaseUrl => _server.BaseUrl;

    public static async Task<AlertmanagerServer> StartAsync() =>
        new(await ServerProcess.StartAsync("prometheus-alertmanager", "prometheus-alertmanager", (port, folder) =>
        {
            string config = Path.Combine(folder, "alertmanager.yml");
            File.WriteAllText(config, "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
            return
            [
                $"--config.file={config}",
                $"--web.listen-address=127.0.0.1:{port}",
                $"--storage.path={Path.Combine(folder, "data")}",
                "--cluster.listen-address=",
                "--log.level=warn",
            ];
        }, "/-/ready"));

    /// <summary>The active alerts (<c>GET /api/v2/alerts</c>).</summary>
    public async Task<List<JsonElement>> AlertsAsync()
    {
        string text = await ServerProcess.Client.GetStringAsync(BaseUrl + "/api/v2/alerts");
        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.EnumerateArray().Select(a => a.Clone())];
    }

    /// <summary>
    /// <c>alertmanager_alerts_received_total</c> over API v2, firing and resolved: every alert posted since this
    /// process started, duplicates included (its alert list merges duplicates, this counter does not).
    /// </summary>
    public async Task<long> ReceivedAsync()
    {
        string text = await ServerProcess.Client.GetStringAsync(BaseUrl + "/metrics");
        long total = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("alertmanager_alerts_received_total{", StringComparison.Ordinal) && line.Contains("version=\"v2\"", StringComparison.Ordinal))
            {
                total += (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>An outage: SIGTERM; Alertmanager keeps silences on disk but not alerts, so a restart starts empty.</summary>
    public Task StopAsync() => _server.StopAsync();

    public Task RestartAsync() => _server.RestartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
