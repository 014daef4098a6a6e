using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary><c>falcocheck alerts</c> as a user runs it: a separate process, its receiver, stdin, and its exit.</summary>
internal sealed class AlertsCommandTests
{
    private static string Config(TempDir dir, string alerts) => dir.Write("falcocheck.yaml", $"""
        hostname: cmd-node
        tags: [env:cmd]
        state_dir: ./state
        sinks:
          - type: file
            path: ./metrics.jsonl
        alerts:
        {alerts}
          metrics_interval: 3600
          sinks:
            - type: file
              path: ./alerts.jsonl
        """);

    private static Process Start(string config, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "falcocheck.dll"));
        start.ArgumentList.Add("alerts");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        foreach (string arg in extra)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Reads the process's standard error up to the line that gives the receiver's address.</summary>
    private static async Task<Match> ReceiverAddressAsync(Process process)
    {
        string? line;
        Match address = Match.Empty;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !(address = Regex.Match(line, "receiving Falco http_output at (\\S+?);")).Success)
        {
        }

        return address;
    }

    private static List<JsonElement> Lines(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())] : [];

    [Test]
    public async Task Stdin_alerts_reach_the_log_sink_and_falco_alerts_count_the_metrics_sink()
    {
        using var dir = new TempDir();
        using Process process = Start(Config(dir, string.Empty), "--stdin");
        using var cleanup = new KillOnDispose(process);
        Task<string> errors = process.StandardError.ReadToEndAsync();

        // As Falco's program_output writes: one alert per line, and a bad line in between.
        await process.StandardInput.WriteLineAsync(OneLine);
        await process.StandardInput.WriteLineAsync("this is not an alert");
        for (int n = 1; n <= 3; n++)
        {
            await process.StandardInput.WriteLineAsync(Numbered(n, "Error"));
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.Zero, await errors);
        List<JsonElement> alerts = Lines(Path.Combine(dir.Path, "alerts.jsonl"));
        Assert.That(alerts.Select(a => a.GetProperty("status").GetString()), Is.EqualTo(new[] { "critical", "error", "error", "error" }));
        Assert.That(await errors, Does.Contain("1 value(s) were not Falco alerts"));

        Dictionary<string, double> counts = Lines(Path.Combine(dir.Path, "metrics.jsonl"))
            .Where(m => m.GetProperty("metric").GetString() == "falco.alerts.count")
            .ToDictionary(m => string.Join(",", m.GetProperty("tags").EnumerateArray().Select(t => t.GetString())), m => m.GetProperty("value").GetDouble());
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, double>
        {
            ["env:cmd,rule_name:Terminal shell in container,priority_name:critical,source:syscall"] = 1,
            ["env:cmd,rule_name:Test rule,priority_name:error,source:syscall"] = 3,
        }));
    }

    [Test]
    public async Task The_receiver_serves_until_stopped_and_stops_cleanly()
    {
        using var dir = new TempDir();
        using Process process = Start(Config(dir, "  http:\n    listen: 127.0.0.1:0\n"));
        using var cleanup = new KillOnDispose(process);
        Match address = await ReceiverAddressAsync(process);

        Assert.That(address.Success, Is.True, "the receiver's address is printed");
        using var client = new HttpClient(new SocketsHttpHandler());
        using var content = new StringContent(OneLine);
        using HttpResponseMessage response = await client.PostAsync(new Uri(address.Groups[1].Value), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => Lines(Path.Combine(dir.Path, "alerts.jsonl")).Count == 1, "the alert in the file sink");

        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero);
        Assert.That(Lines(Path.Combine(dir.Path, "metrics.jsonl")).Select(m => m.GetProperty("metric").GetString()), Does.Contain("falco.alerts.count"),
            "the last count is submitted at stop");
    }

    [Test]
    public async Task A_spool_held_by_another_falcocheck_process_is_one_clear_error_not_a_shared_spool()
    {
        using var dir = new TempDir();
        string config = Config(dir, string.Empty);
        // The daemon holding the same log sink's spool (state_dir/alerts/spool/<index>-<type>).
        using var daemonsSpool = new FalcoCheck.Sinks.Delivery.DiskSpool(Path.Combine(dir.Path, "state", "alerts", "spool", "0-file"), 1 << 20);
        using Process process = Start(config, "--stdin");
        using var cleanup = new KillOnDispose(process);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.EqualTo(1));
        Assert.That((await errors).Trim(), Does.StartWith("falcocheck alerts: spool ").And.Contain("is in use by another process").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Program_output_runs_beside_the_daemon_with_its_own_state_dir()
    {
        // README "Standard input": the process Falco's program_output starts has its own small config (its own
        // state_dir, so its spool and counts are its own) while the daemon's alert receiver keeps running.
        using var dir = new TempDir();
        using Process daemon = Start(Config(dir, "  http:\n    listen: 127.0.0.1:0\n"));
        using var stopDaemon = new KillOnDispose(daemon);
        Assert.That((await ReceiverAddressAsync(daemon)).Success, Is.True, "the daemon's receiver started");
        string programOutput = dir.Write("program-output.yaml", """
            hostname: cmd-node
            state_dir: ./state-program-output
            sinks: [{type: file, path: ./program-output-metrics.jsonl}]
            alerts:
              sinks: [{type: file, path: ./program-output-alerts.jsonl}]
            """);
        using Process stdin = Start(programOutput, "--stdin");
        using var stopStdin = new KillOnDispose(stdin);
        Task<string> errors = stdin.StandardError.ReadToEndAsync();
        await stdin.StandardInput.WriteLineAsync(OneLine);
        await stdin.StandardInput.WriteLineAsync(Numbered(1, "Error"));
        stdin.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await stdin.WaitForExitAsync(timeout.Token);

        Assert.Multiple(async () =>
        {
            Assert.That(stdin.ExitCode, Is.Zero, await errors);
            Assert.That(Lines(Path.Combine(dir.Path, "program-output-alerts.jsonl")), Has.Count.EqualTo(2));
            Assert.That(daemon.HasExited, Is.False, "the daemon's receiver is untouched");
        });
    }

    /// <summary>A failed test must not leave its falcocheck process running.</summary>
    private sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
