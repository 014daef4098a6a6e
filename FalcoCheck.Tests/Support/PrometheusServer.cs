using System.Globalization;
using System.Text.Json;

namespace FalcoCheck.Tests.Support;

/// <summary>Debian's <c>prometheus</c> (2.42) on a free loopback port with the remote-write receiver on; queried with PromQL.</summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ServerProcess _server;

    private PrometheusServer(ServerProcess server) => _server = server;

    public string BaseUrl => _server.BaseUrl;

    public string RemoteWriteUrl => BaseUrl + "/api/v1/write";

    public static async Task<PrometheusServer> StartAsync() =>
        new(await ServerProcess.StartAsync("prometheus", "prometheus", (port, folder) =>
        {
            string config = Path.Combine(folder, "prometheus.yml");
            File.WriteAllText(config, "global:\n  scrape_interval: 1h\n");
            return
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--web.enable-remote-write-receiver",
                "--log.level=error",
            ];
        }, "/-/ready"));

    /// <summary>A PromQL query at <paramref name="unixSeconds"/>: each series with its value (instant) or samples (range selector).</summary>
    public async Task<List<ExportedSeries>> QueryAsync(string promql, long unixSeconds)
    {
        var url = $"{BaseUrl}/api/v1/query?query={Uri.EscapeDataString(promql)}&time={unixSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var json = JsonDocument.Parse(await ServerProcess.Client.GetStringAsync(url));
        var series = new List<ExportedSeries>();
        foreach (var item in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            // An instant vector has "value" (stamped with the query time); a range vector has "values" with sample times.
            var samples = item.TryGetProperty("values", out var values) ? [.. values.EnumerateArray()] : new[] { item.GetProperty("value") };
            series.Add(new ExportedSeries(labels,
                [.. samples.Select(v => double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture))],
                [.. samples.Select(v => (long)Math.Round(v[0].GetDouble() * 1000))]));
        }

        return series;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
