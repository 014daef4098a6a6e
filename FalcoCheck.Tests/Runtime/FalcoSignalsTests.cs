using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>Signals FalcoCheck derives from Falco's payload (issue 3, items 3, 5, 7, 9): two scrapes of scripted payloads.</summary>
internal sealed class FalcoSignalsTests
{
    private static readonly CheckRunOptions TwoScrapes = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(50) };

    /// <summary>A Falco 0.41-style payload with the counters the signals read.</summary>
    private sealed record Payload(long Events, long Drops = 0, long BufferDrops = 0, long ScratchDrops = 0, long Matches = 0, long QueueDrops = 0,
        long StartNs = 0, long ReloadNs = 0, string RulesSha = "aaa", string? SecondRule = null)
    {
        /// <param name="now">One "now" for both payloads of a test, so their default start timestamps are equal.</param>
        public string Render(long now)
        {
            var start = StartNs == 0 ? now - (100L * 1_000_000_000) : StartNs;
            var reload = ReloadNs == 0 ? start : ReloadNs;
            var t = new StringBuilder();
            void Add(string type, string line) => t.Append("# TYPE ").Append(line[..line.IndexOfAny(['{', ' '])]).Append(' ').Append(type).Append('\n').Append(line).Append('\n');
            Add("gauge", "falcosecurity_falco_version_info{version=\"0.41.0\"} 1");
            Add("gauge", "falcosecurity_scap_engine_name_info{engine_name=\"modern_bpf\",evt_source=\"syscall\"} 1");
            Add("gauge", "falcosecurity_falco_kernel_release_info{kernel_release=\"6.1.0\"} 1");
            Add("gauge", $"falcosecurity_falco_sha256_rules_files_info{{file_name=\"falco_rules.yaml\",sha256=\"{RulesSha}\"}} 1");
            Add("gauge", "falcosecurity_falco_start_timestamp_nanoseconds " + start.ToString(CultureInfo.InvariantCulture));
            Add("gauge", "falcosecurity_falco_reload_timestamp_nanoseconds " + reload.ToString(CultureInfo.InvariantCulture));
            Add("gauge", "falcosecurity_falco_host_boot_timestamp_nanoseconds " + (now - (3600L * 1_000_000_000)).ToString(CultureInfo.InvariantCulture));
            Add("counter", $"falcosecurity_scap_n_evts_total {Events}");
            Add("counter", $"falcosecurity_scap_n_drops_total {Drops}");
            Add("counter", $"falcosecurity_scap_n_drops_buffer_total{{dir=\"exit\",drop=\"open\"}} {BufferDrops}");
            Add("counter", $"falcosecurity_scap_n_drops_scratch_map_total {ScratchDrops}");
            Add("counter", $"falcosecurity_falco_outputs_queue_num_drops_total {QueueDrops}");
            Add("counter", $"falcosecurity_falco_rules_matches_total{{priority=\"4\",rule_name=\"Read sensitive file\",source=\"syscall\"}} {Matches}");
            if (SecondRule is not null)
            {
                Add("counter", $"falcosecurity_falco_rules_matches_total{{priority=\"5\",rule_name=\"{SecondRule}\",source=\"syscall\"}} {Matches}");
            }

            return t.ToString();
        }
    }

    private static async Task<CheckRun> TwoRunsAsync(Payload first, Payload second, string options = "")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        var payloads = new[] { first.Render(now), second.Render(now) };
        var request = 0;
        await using var server = new TestHttpServer(context =>
        {
            var index = Math.Min(Interlocked.Increment(ref request) - 1, 1);
            return TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(payloads[index]));
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n{options}");
        return await CheckRun.RunAsync(config, TwoScrapes);
    }

    private static List<JsonElement> Named(CheckRun run, string name) =>
        [.. run.Metrics.Where(m => m.GetProperty("metric").GetString() == name)];

    private static double Value(CheckRun run, string name, string? tag = null) =>
        Named(run, name).Single(m => tag is null || CheckRun.Tags(m).Contains(tag)).GetProperty("value").GetDouble();

    [Test]
    public async Task Uptimes_are_seconds_never_the_raw_nanosecond_timestamps()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(2000));

        Assert.That(Value(run, "falco.uptime"), Is.InRange(95, 130));
        Assert.That(Value(run, "falco.seconds_since_reload"), Is.InRange(95, 130));
        Assert.That(Value(run, "falco.host.uptime"), Is.InRange(3595, 3630));
    }

    [Test]
    public async Task Drop_ratios_are_the_increase_of_drops_over_the_increase_of_events()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(2000, Drops: 10, BufferDrops: 6, ScratchDrops: 4));

        Assert.That(Value(run, "falco.scap.drop.ratio"), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(Value(run, "falco.scap.drop.category.ratio", "category:buffer"), Is.EqualTo(0.006).Within(1e-12));
        Assert.That(Value(run, "falco.scap.drop.category.ratio", "category:scratch_map"), Is.EqualTo(0.004).Within(1e-12));
        Assert.That(Value(run, "falco.scap.stalled"), Is.Zero);
        Assert.That(CheckRun.Tags(Named(run, "falco.scap.drop.ratio").Single()), Does.Contain("engine_name:modern_bpf"));
    }

    [Test]
    public async Task Events_that_stop_while_Falco_runs_are_a_stall()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(1000));

        Assert.That(Value(run, "falco.scap.stalled"), Is.EqualTo(1));
        Assert.That(Named(run, "falco.scap.drop.ratio"), Is.Empty, "no ratio over zero events");
    }

    [Test]
    public async Task A_restart_between_scrapes_gives_counts_since_the_restart_and_sane_ratios()
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        var run = await TwoRunsAsync(new Payload(50_000, Drops: 900, StartNs: started - (600L * 1_000_000_000)), new Payload(400, Drops: 4, StartNs: started));

        Assert.That(Value(run, "falco.scap.n.evts.count"), Is.EqualTo(400));
        Assert.That(Value(run, "falco.scap.n.drops.count"), Is.EqualTo(4));
        Assert.That(Value(run, "falco.scap.drop.ratio"), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(Value(run, "falco.scap.stalled"), Is.Zero);
        Assert.That(run.Metrics.Where(m => m.GetProperty("type").GetString() == "count").Select(m => m.GetProperty("value").GetDouble()), Has.All.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task A_hot_reload_between_scrapes_gives_counts_since_the_reload()
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L - (600L * 1_000_000_000);
        var run = await TwoRunsAsync(new Payload(50_000, Matches: 70, StartNs: started), new Payload(300, Matches: 3, StartNs: started, ReloadNs: started + (590L * 1_000_000_000)));

        Assert.That(Value(run, "falco.scap.n.evts.count"), Is.EqualTo(300));
        Assert.That(Value(run, "falco.rules.matches.count"), Is.EqualTo(3));
        Assert.That(Value(run, "falco.seconds_since_reload"), Is.LessThan(30));
    }

    [Test]
    public async Task Output_queue_drop_ratio_is_drops_over_rule_matches()
    {
        var run = await TwoRunsAsync(new Payload(1000, Matches: 100, QueueDrops: 0), new Payload(2000, Matches: 200, QueueDrops: 5));

        Assert.That(Value(run, "falco.outputs.queue.drop.ratio"), Is.EqualTo(0.05).Within(1e-12));
    }

    [Test]
    public async Task A_rules_file_changed_across_a_daemon_reload_is_still_seen()
    {
        // The reload rebuilds the instance (new tags); the hashes of the last run must move with its counters.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        var payloads = new[] { new Payload(1000, RulesSha: "aaa").Render(now), new Payload(2000, RulesSha: "bbb").Render(now) };
        var request = 0;
        await using var server = new TestHttpServer(context =>
            TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(payloads[Math.Min(Interlocked.Increment(ref request) - 1, 1)])));
        string endpoint = $"  - openmetrics_endpoint: {server.Url}\n    min_collection_interval: 2\n";
        using var config = new TestConfig(endpoint, "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n", "init_config:\n  timeout: 1\n");
        await using var daemon = await DaemonHarness.StartAsync(config);
        await daemon.AdvanceAsync(TimeSpan.FromSeconds(2), (0, 1));

        File.WriteAllText(Path.Combine(config.Folder, "conf.d", "falco.d", "conf.yaml"), "init_config:\n  timeout: 1\ninstances:\n" + endpoint + "    tags: [team:b]\n");
        var reload = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);
        Assert.That(reload.Applied, Is.True, string.Join('\n', reload.Errors));
        await daemon.AdvanceAsync(TimeSpan.FromSeconds(2), (0, 2));
        await daemon.StopAsync();

        var changed = daemon.Written().Where(l => DaemonScheduleTests.Metric(l) == "falco.rules.files.changed" && CheckRun.Tags(l).Contains("team:b")).ToList();
        Assert.That(changed.Select(l => l.GetProperty("value").GetDouble()), Is.EqualTo(new[] { 1.0 }));
    }

    [Test]
    public async Task A_changed_rules_file_hash_is_an_event_and_a_count()
    {
        var run = await TwoRunsAsync(new Payload(1000, RulesSha: "aaa"), new Payload(2000, RulesSha: "bbb"));

        Assert.That(Value(run, "falco.rules.files.changed", "file_name:falco_rules.yaml"), Is.EqualTo(1));
        var changed = run.Lines.Single(l => l.TryGetProperty("event", out _));
        Assert.That(changed.GetProperty("event").GetString(), Is.EqualTo("falco.rules.file.changed"));
        Assert.That(changed.GetProperty("title").GetString(), Is.EqualTo("rules file falco_rules.yaml changed on host test-node"));
        Assert.That(changed.GetProperty("text").GetString(), Does.Contain("aaa → bbb"));
    }

    [Test]
    public async Task A_rules_file_changed_between_two_cron_runs_is_seen_through_the_state_file()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        var payloads = new[] { new Payload(1000, RulesSha: "aaa").Render(now), new Payload(2000, RulesSha: "bbb").Render(now) };
        var request = 0;
        await using var server = new TestHttpServer(context =>
            TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(payloads[Math.Min(Interlocked.Increment(ref request) - 1, 1)])));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");
        var cron = new CheckRunOptions { Json = true };

        var first = await CheckRun.RunAsync(config, cron);
        var second = await CheckRun.RunAsync(config, cron);

        Assert.That(first.Lines.Where(l => l.TryGetProperty("event", out _)), Is.Empty);
        Assert.That(second.Lines.Single(l => l.TryGetProperty("event", out _)).GetProperty("text").GetString(), Does.Contain("aaa → bbb"));
        Assert.That(Value(second, "falco.rules.files.changed", "file_name:falco_rules.yaml"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_unchanged_rules_file_counts_zero_and_raises_no_event()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(2000));

        Assert.That(Value(run, "falco.rules.files.changed"), Is.Zero);
        Assert.That(run.Lines.Where(l => l.TryGetProperty("event", out _)), Is.Empty);
    }

    [Test]
    public async Task Rules_past_max_rules_are_summed_under_other()
    {
        var run = await TwoRunsAsync(new Payload(1000, Matches: 1, SecondRule: "Shell in container"), new Payload(2000, Matches: 5, SecondRule: "Shell in container"), "    max_rules: 1\n");

        var matches = Named(run, "falco.rules.matches.count");
        Assert.That(matches, Has.Count.EqualTo(2));
        Assert.That(matches.Select(m => CheckRun.Tags(m).First(t => t.StartsWith("rule_name:", StringComparison.Ordinal))), Is.EquivalentTo(new[] { "rule_name:Read sensitive file", "rule_name:other" }));
        Assert.That(Value(run, "falco.rules.matches.count", "rule_name:other"), Is.EqualTo(4));
    }

    [Test]
    public async Task Extended_metrics_off_sends_no_derived_signal()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(2000), "    extended_metrics: false\n");

        Assert.That(run.Metrics.Select(m => m.GetProperty("metric").GetString()), Has.None.EqualTo("falco.uptime").And.None.EqualTo("falco.scap.drop.ratio"));
    }

    [Test]
    public async Task Every_series_carries_the_info_tags()
    {
        var run = await TwoRunsAsync(new Payload(1000), new Payload(2000));

        Assert.That(run.Metrics.Select(CheckRun.Tags), Has.All.Contains("falco_version:0.41.0").And.All.Contains("kernel_release:6.1.0"));
    }

    [Test]
    public async Task A_404_while_healthz_answers_says_to_enable_metrics()
    {
        await using var server = new TestHttpServer(context => context.Request.Url!.AbsolutePath == "/healthz"
            ? TestHttpServer.WriteAsync(context, "{\"status\": \"ok\"}"u8.ToArray(), "application/json")
            : TestHttpServer.WriteAsync(context, "Not Found"u8.ToArray(), "text/plain", 404));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.ServiceChecks.Single().GetProperty("message").GetString(), Does.Contain("metrics.enabled: true").And.Contain("webserver.prometheus_metrics_enabled: true"));
    }

    [Test]
    public async Task A_404_everywhere_says_Falco_is_still_starting()
    {
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, "Not Found"u8.ToArray(), "text/plain", 404));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.ServiceChecks.Single().GetProperty("message").GetString(), Does.Contain("still starting"));
    }

    [Test]
    public async Task A_TLS_answer_on_plain_http_points_at_ssl_enabled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096]);
                // A TLS alert record (handshake failure), what a TLS server answers to a plain HTTP request.
                await stream.WriteAsync(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 });
            }
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: http://127.0.0.1:{port}/metrics\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.ServiceChecks.Single().GetProperty("message").GetString(), Does.Contain("webserver.ssl_enabled").And.Contain("https://"));
        listener.Stop();
        await Task.WhenAny(serve, Task.Delay(1000));
    }

    [Test]
    public async Task Missing_families_name_the_falco_yaml_switch()
    {
        await using var server = FalcoCheck.Demo.ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var message = run.ServiceChecks.Single().GetProperty("message").GetString();
        Assert.That(run.ServiceChecks.Single().GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(message, Does.Contain("metrics.jemalloc_stats_enabled: true").And.Contain("metrics.resource_utilization_enabled: true"));
        Assert.That(run.Summaries.Single().GetProperty("message").GetString(), Is.EqualTo(message));
    }
}
