using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package, 2.42) on 127.0.0.1 and a free port, with a temporary data
/// folder and the scrape jobs a test gives, killed and deleted on dispose. Fails (never skips) when the binary is
/// missing: <c>./test.sh</c> installs it.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    private PrometheusProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <summary>What Prometheus logged so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus with <paramref name="scrapeConfigs"/> (YAML list items under <c>scrape_configs:</c>) and waits until it is ready.</summary>
    public static async Task<PrometheusProcess> StartAsync(string scrapeConfigs, string scrapeInterval = "1s")
    {
        var binary = FindBinary() ?? throw new AssertionException(
            "prometheus not found on PATH: run ./test.sh (installs Debian's prometheus) or apt-get install prometheus");
        var folder = Directory.CreateTempSubdirectory("falcocheck-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"global:\n  scrape_interval: {scrapeInterval}\n  scrape_timeout: {scrapeInterval}\nscrape_configs:\n{scrapeConfigs}");
        var port = TestHttpServer.FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"), "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var prometheus = new PrometheusProcess(Process.Start(start)!, folder, port);
        prometheus._process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        prometheus._process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        prometheus._process.BeginErrorReadLine();
        prometheus._process.BeginOutputReadLine();
        await prometheus.WaitReadyAsync();
        return prometheus;
    }

    /// <summary>Waits until every target has been scraped at least once (up or down).</summary>
    public async Task<List<JsonElement>> WaitForScrapesAsync(int targets, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var active = (await GetAsync("/api/v1/targets?state=active")).GetProperty("activeTargets").EnumerateArray().ToList();
            if (active.Count == targets && active.All(t => t.GetProperty("health").GetString() != "unknown"))
            {
                return active;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new AssertionException($"Prometheus did not scrape {targets} targets within {timeout}; log:\n{Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>An instant query: each series' labels (with <c>__name__</c>) and its value as Prometheus formats it.</summary>
    public async Task<List<(Dictionary<string, string> Labels, string Value)>> QueryAsync(string promql)
    {
        var data = await GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            r.GetProperty("value")[1].GetString()!))];
    }

    /// <summary>GET on the HTTP API; returns <c>data</c> of a <c>success</c> answer.</summary>
    public async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        var text = await _http.GetStringAsync(new Uri(Url + pathAndQuery));
        using var document = JsonDocument.Parse(text);
        Assert.That(document.RootElement.GetProperty("status").GetString(), Is.EqualTo("success"), text);
        return document.RootElement.GetProperty("data").Clone();
    }

    /// <summary>A value of the HTTP API ("NaN", "+Inf", "-Inf" or Go's shortest decimal) as a double.</summary>
    public static double ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "prometheus")).FirstOrDefault(File.Exists);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new AssertionException($"prometheus exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(Url + "/-/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"prometheus was not ready within {StartTimeout}:\n{Log}");
    }
}
