using FalcoCheck.Demo;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Runtime.DaemonScheduleTests;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// <c>falcocheck run</c> as a process with real signals: runs on schedule, SIGHUP with a changed and with a broken
/// configuration, <c>falcocheck status</c>, SIGTERM flushes and exits 0, and a restart continues the counts.
/// </summary>
internal sealed class DaemonProcessTests
{
    [Test]
    public async Task Run_reload_status_stop_and_restart()
    {
        await using var replay = ReplayServer.StartEmbedded();
        await using var second = ReplayServer.StartEmbedded();
        var statusPort = TestHttpServer.FreePort();
        var down = $"http://127.0.0.1:{TestHttpServer.FreePort()}/metrics";
        using var config = new TestConfig(
            Instance($"{replay.BaseUrl}/metrics") + Instance(down),
            $"status:\n  listen: 127.0.0.1:{statusPort}\nstate_flush_interval: 1\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
            "init_config:\n  timeout: 0.5\n");
        var confYaml = Path.Combine(config.Folder, "conf.d", "falco.d", "conf.yaml");

        await using (var daemon = DaemonProcess.Start(config.AgentPath, statusPort))
        {
            await daemon.WaitForAsync(s => s.Instances.Count == 2 && s.Instances[0].Runs >= 2 && s.Instances[1].Runs >= 1, "two runs of the OK instance");

            var status = await FalcoCheckProcess.RunAsync("status", "--config", config.AgentPath);
            Assert.That(status.Exit, Is.Zero, status.Errors);
            Assert.That(status.Output, Does.Contain($"[0] {replay.BaseUrl}/metrics: OK").And.Contain($"[1] {down}: CRITICAL"));

            // SIGHUP with one more instance.
            File.WriteAllText(confYaml, "init_config:\n  timeout: 0.5\ninstances:\n" + Instance($"{replay.BaseUrl}/metrics") + Instance(down) + Instance($"{second.BaseUrl}/metrics"));
            await daemon.SignalAsync("HUP");
            var reloaded = await daemon.WaitForAsync(s => s.LastReload is { Applied: true } && s.Instances.Count == 3 && s.Instances[2].Runs >= 1, "the reload adds the third instance");
            Assert.That(reloaded.LastReload!.Trigger, Is.EqualTo("SIGHUP"));

            // SIGHUP with a broken file: refused, the three instances keep running.
            File.WriteAllText(confYaml, "instances: [\n");
            await daemon.SignalAsync("HUP");
            var refused = await daemon.WaitForAsync(s => s.LastReload is { Applied: false }, "the broken reload is refused");
            Assert.That(refused.Instances, Has.Count.EqualTo(3));
            var runs = refused.Instances[2].Runs;
            await daemon.WaitForAsync(s => s.Instances[2].Runs > runs, "instances still run after a refused reload");

            Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Errors);
            Assert.That(daemon.Errors, Does.Contain("reload (SIGHUP) refused").And.Contain("stopped"));
        }

        var firstRequests = replay.Requests;
        File.WriteAllText(confYaml, "init_config:\n  timeout: 0.5\ninstances:\n" + Instance($"{replay.BaseUrl}/metrics") + Instance(down) + Instance($"{second.BaseUrl}/metrics"));
        await using (var restarted = DaemonProcess.Start(config.AgentPath, statusPort))
        {
            await restarted.WaitForAsync(s => s.Instances.Count == 3 && s.Instances[0].Runs >= 2, "two runs after the restart");
            Assert.That(await restarted.StopAsync(), Is.Zero, restarted.Errors);
        }

        // Every scrape of the OK endpoint but the very first gave one count per counter, across the restart:
        // no interval lost, none doubled.
        Assert.That(replay.Requests, Is.GreaterThan(firstRequests));
        var written = CheckRun.ParseLines(File.ReadAllText(config.MetricsFile));
        AssertCountsAreOneStepEach(written, $"endpoint:{replay.BaseUrl}/metrics", replay.Requests - 1);
        Assert.That(written.Where(l => Metric(l) == "falco.check.up" && Tags(l).Contains("endpoint:" + down)).Select(l => l.GetProperty("value").GetDouble()), Is.Not.Empty.And.All.EqualTo(0));
    }

    [Test]
    public async Task Logs_carry_syslog_priorities_when_the_journal_collects_them()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var statusPort = TestHttpServer.FreePort();
        using var config = new TestConfig(Instance($"{replay.BaseUrl}/metrics"), $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n", "init_config:\n  timeout: 0.5\n");

        await using var daemon = DaemonProcess.Start(config.AgentPath, statusPort, new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:12345" });
        await daemon.WaitForAsync(s => s.Instances.Count == 1 && s.Instances[0].Runs >= 1, "one run");
        Assert.That(await daemon.StopAsync(), Is.Zero);

        var lines = daemon.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Some.StartsWith("<6>FalcoCheck.Daemon[1] falcocheck "), daemon.Errors);
        Assert.That(lines, Is.All.Match(@"^<[0-7]>"), "every line starts with its priority, without a timestamp of ours");
    }

    [Test]
    public async Task Alerts_run_in_the_daemon_and_their_count_goes_through_its_sinks()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var statusPort = TestHttpServer.FreePort();
        var alertsPort = TestHttpServer.FreePort();
        using var config = new TestConfig(
            Instance($"{replay.BaseUrl}/metrics"),
            $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n" +
            $"alerts:\n  http:\n    listen: 127.0.0.1:{alertsPort}\n  sinks:\n    - type: file\n      path: ./alerts.jsonl\n",
            "init_config:\n  timeout: 0.5\n");

        await using var daemon = DaemonProcess.Start(config.AgentPath, statusPort);
        // Two runs: the second counts rule matches, which the reconciliation compares with the alerts.
        await daemon.WaitForAsync(s => s.Instances.Count == 1 && s.Instances[0].Runs >= 2, "two runs");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var body = new StringContent(Alerts.AlertSamples.OneLine, System.Text.Encoding.UTF8, "application/json");
        using var answer = await client.PostAsync(new Uri($"http://127.0.0.1:{alertsPort}/"), body);
        Assert.That((int)answer.StatusCode, Is.EqualTo(200), await answer.Content.ReadAsStringAsync());
        // The alert log sink has its status row after the metrics sink's, counting what it delivered.
        string alertSink = "file:" + Path.Combine(config.Folder, "alerts.jsonl");
        await daemon.WaitForAsync(s => s.Sinks.Any(r => r.Name == alertSink && r.Sent == 1), "the alert sink's status row");
        Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Errors);

        var alerts = CheckRun.ParseLines(File.ReadAllText(Path.Combine(config.Folder, "alerts.jsonl")));
        Assert.That(alerts, Has.Count.EqualTo(1));
        var metrics = CheckRun.ParseLines(File.ReadAllText(config.MetricsFile));
        Assert.That(metrics.Where(l => Metric(l) == "falco.alerts.count").Sum(l => l.GetProperty("value").GetDouble()), Is.EqualTo(1),
            "the pipeline's last count is flushed through the daemon's sinks on shutdown");
        Assert.That(metrics.Where(l => Metric(l) == FalcoCheck.Alerts.AlertReconciliation.Unreceived), Is.Not.Empty,
            "falcocheck run wires the scrapes and the alerts into the reconciliation");
        Assert.That(metrics.Where(l => Metric(l) == "falco.check.sink.queue.size")
            .SelectMany(l => l.GetProperty("tags").EnumerateArray().Select(t => t.GetString())), Does.Contain("sink:" + alertSink),
            "the alert sink's falco.check.sink.* series go through the daemon's sinks");
    }

    [Test]
    public async Task Tells_systemd_through_NOTIFY_SOCKET_when_it_is_ready_and_when_it_stops()
    {
        // Type=notify: systemd names a datagram socket in NOTIFY_SOCKET and waits for READY=1 there. Here the parent is
        // not systemd (as for a unit with ProtectProc=invisible, which hides it), and the test is the socket.
        await using var replay = ReplayServer.StartEmbedded();
        var statusPort = TestHttpServer.FreePort();
        using var config = new TestConfig(Instance($"{replay.BaseUrl}/metrics"), $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n", "init_config:\n  timeout: 0.5\n");
        string path = Path.Combine(config.Folder, "notify.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));

        await using var daemon = DaemonProcess.Start(config.AgentPath, statusPort, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef" });
        Assert.That(await ReceiveAsync(socket), Does.Contain("READY=1"), daemon.Errors);
        Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Errors);
        Assert.That(await ReceiveAsync(socket), Does.Contain("STOPPING=1"));

        static async Task<string> ReceiveAsync(System.Net.Sockets.Socket socket)
        {
            var buffer = new byte[512];
            using var limit = new CancellationTokenSource(Eventually.Limit);
            int length = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, limit.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    [Test]
    public async Task Status_says_when_no_daemon_answers()
    {
        var port = TestHttpServer.FreePort();

        var status = await FalcoCheckProcess.RunAsync("status", "--address", $"127.0.0.1:{port}");

        Assert.That(status.Exit, Is.EqualTo(1));
        Assert.That(status.Errors, Does.Contain($"no daemon answers at http://127.0.0.1:{port}/status"));
    }

    [Test]
    public async Task Clients_connecting_to_the_status_port_while_the_daemon_starts_do_not_stop_it()
    {
        // The start-up race of HttpListener (dotnet/corefx#35191) once took the daemon down this way.
        await using var replay = ReplayServer.StartEmbedded();
        var statusPort = TestHttpServer.FreePort();
        using var config = new TestConfig(Instance($"{replay.BaseUrl}/metrics"), $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n", "init_config:\n  timeout: 0.5\n");
        using var stop = new CancellationTokenSource();
        var connects = 0;
        var storm = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, statusPort, stop.Token);
                    Interlocked.Increment(ref connects);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // Refused until the daemon listens.
                }
            }
        });

        await using var daemon = DaemonProcess.Start(config.AgentPath, statusPort);
        try
        {
            await daemon.WaitForAsync(s => s.Instances.Count == 1 && s.Instances[0].Runs >= 1, "one run");
        }
        finally
        {
            await stop.CancelAsync();
            await storm;
        }

        Assert.That(connects, Is.GreaterThan(0), "the storm reached the daemon");
        Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Errors);
        Assert.That(daemon.Errors, Does.Not.Contain("Unhandled").And.Not.Contain("Exception"));
    }

    private static string Instance(string endpoint) => $"  - openmetrics_endpoint: {endpoint}\n    min_collection_interval: 1\n";
}
