using System.Text.Json;

namespace FalcoCheck.Tests.Support;

/// <summary>Debian's <c>victoria-metrics</c> on a free loopback port: Datadog v1 series, remote write, export and PromQL.</summary>
internal sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private readonly ServerProcess _server;

    private VictoriaMetricsServer(ServerProcess server) => _server = server;

    public string BaseUrl => _server.BaseUrl;

    public static async Task<VictoriaMetricsServer> StartAsync() =>
        new(await ServerProcess.StartAsync("victoria-metrics", "victoria-metrics", (port, folder) =>
        [
            $"-httpListenAddr=127.0.0.1:{port}",
            $"-storageDataPath={folder}",
            "-retentionPeriod=100y",
            "-search.disableCache",
            "-search.latencyOffset=0s",
            "-loggerLevel=ERROR",
        ], "/health"));

    /// <summary>Every sample of the series matching <paramref name="match"/> (a series selector), after flushing VM's buffers.</summary>
    public async Task<List<ExportedSeries>> ExportAsync(string match)
    {
        using (await ServerProcess.Client.GetAsync(BaseUrl + "/internal/force_flush"))
        {
        }

        // Up to a day ahead: tests on a fake clock submit timestamps ahead of the real one, which export leaves out by default.
        long end = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var text = await ServerProcess.Client.GetStringAsync(BaseUrl + "/api/v1/export?match[]=" + Uri.EscapeDataString(match) + "&end=" + end);
        var series = new List<ExportedSeries>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var labels = root.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var timestamps = root.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            series.Add(new ExportedSeries(labels, values, timestamps));
        }

        return series;
    }

    /// <summary>An outage: the server is stopped (SIGTERM); its data stays for <see cref="RestartAsync"/>.</summary>
    public Task StopAsync() => _server.StopAsync();

    public Task RestartAsync() => _server.RestartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
