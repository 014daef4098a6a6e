using System.IO.Compression;
using System.Net;
using System.Text;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>The one-shot check end to end, against a replay of real Falco payloads and misbehaving endpoints.</summary>
internal sealed class CheckRunnerTests
{
    private static readonly CheckRunOptions JsonRate = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(200) };

    private static ReplayServer StartReplay() => ReplayServer.StartEmbedded();

    [Test]
    public async Task Datadog_fixture_with_rate_submits_the_50_documented_metrics_with_their_types()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    extended_metrics: false\n");

        var run = await CheckRun.RunAsync(config, JsonRate);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var documented = MetadataCsv.Load();
        var types = run.Metrics.GroupBy(m => m.GetProperty("metric").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(m => m.GetProperty("type").GetString()).Distinct().Single());
        Assert.That(types.Keys, Is.EquivalentTo(documented.Keys));
        foreach (var (name, type) in types)
        {
            Assert.That(type, Is.EqualTo(documented[name].Type), name);
        }

        var health = run.ServiceChecks.Single();
        Assert.That(health.GetProperty("check").GetString(), Is.EqualTo("falco.openmetrics.health"));
        Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(run.Summaries.Single().GetProperty("falco_version").GetString(), Is.EqualTo("0.40.0"));
        var contexts = run.Metrics.Select(m => m.GetProperty("metric").GetString() + string.Join(',', CheckRun.Tags(m).Order(StringComparer.Ordinal))).ToList();
        Assert.That(contexts, Is.Unique);
    }

    [Test]
    public async Task Series_carry_host_endpoint_and_instance_and_agent_tags()
    {
        await using var server = StartReplay();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    tags: [team:sec]\n    service: falco-prod\n",
            "tags: [region:eu]\nsinks:\n  - type: console\n");

        var run = await CheckRun.RunAsync(config, JsonRate);

        var metric = run.Metrics.First();
        Assert.That(metric.GetProperty("host").GetString(), Is.EqualTo("test-node"));
        Assert.That(CheckRun.Tags(metric), Is.SupersetOf(new[] { "team:sec", "region:eu", "service:falco-prod", $"endpoint:{server.BaseUrl}/metrics" }));
        Assert.That(CheckRun.Tags(run.ServiceChecks.Single()), Does.Contain($"endpoint:{server.BaseUrl}/metrics"));
    }

    [Test]
    public async Task Counts_over_a_rate_run_are_the_increase_between_the_two_scrapes()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n");
        var expected = ExpectedIncrease("falco-0.41.0_prometheus_base", "falcosecurity_falco_duration_seconds_total");

        var run = await CheckRun.RunAsync(config, JsonRate);

        var duration = run.Metrics.Single(m => m.GetProperty("metric").GetString() == "falco.duration.seconds.count");
        Assert.That(duration.GetProperty("value").GetDouble(), Is.EqualTo(expected));
        Assert.That(duration.GetProperty("type").GetString(), Is.EqualTo("count"));
        Assert.That(duration.GetProperty("interval").GetInt32(), Is.GreaterThanOrEqualTo(1));
    }

    /// <summary>What the replay adds to a counter between its first and second rendering.</summary>
    private static double ExpectedIncrease(string payload, string counter)
    {
        var replay = new ReplayPayload(ReplayServer.ReadEmbedded("demo/" + payload + ".prom.txt"));
        static double Value(string text, string name) =>
            double.Parse(text.Split('\n').Last(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var first = Value(replay.Render(), counter);
        var second = Value(replay.Render(), counter);
        Assert.That(second, Is.GreaterThan(first), "the replay moves counters");
        return second - first;
    }

    [Test]
    public async Task A_plain_check_keeps_counter_state_so_the_next_run_gives_counts()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n");
        var expected = ExpectedIncrease("falco-0.41.0_prometheus_base", "falcosecurity_falco_duration_seconds_total");

        var first = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        var second = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(first.Metrics.Select(m => m.GetProperty("type").GetString()), Has.None.EqualTo("count"), "first run: baselines only");
        var duration = second.Metrics.Single(m => m.GetProperty("metric").GetString() == "falco.duration.seconds.count");
        Assert.That(duration.GetProperty("value").GetDouble(), Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(Path.Combine(config.Folder, "state"), "*.json"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task New_instance_tags_between_runs_set_baselines_instead_of_sending_whole_values()
    {
        // Every counter is kept under its submitted tags: new tags make every key new. Sending their values whole
        // would report Falco's lifetime totals as one interval's counts.
        await using var server = StartReplay();
        string endpoint = $"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n";
        using var config = new TestConfig(endpoint + "    tags: [team:a]\n");
        var expected = ExpectedIncrease("falco-0.41.0_prometheus_base", "falcosecurity_falco_duration_seconds_total");
        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        File.WriteAllText(Path.Combine(config.Folder, "conf.d", "falco.d", "conf.yaml"), "init_config:\ninstances:\n" + endpoint + "    tags: [team:b]\n");
        var renamed = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        var next = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(renamed.Metrics.Where(m => m.GetProperty("type").GetString() == "count").Select(m => m.GetProperty("metric").GetString()),
            Has.None.StartsWith("falco.duration"), "the run after the change: baselines");
        var duration = next.Metrics.Single(m => m.GetProperty("metric").GetString() == "falco.duration.seconds.count");
        Assert.That(duration.GetProperty("value").GetDouble(), Is.EqualTo(expected));
        Assert.That(CheckRun.Tags(duration), Does.Contain("team:b"));
    }

    [Test]
    public async Task Series_merged_by_label_rules_are_one_value_and_counted_in_the_summary()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_rules/metrics\n    include_labels: [source]\n");

        var run = await CheckRun.RunAsync(config, JsonRate);

        var matches = run.Metrics.Where(m => m.GetProperty("metric").GetString() == "falco.rules.matches.count").ToList();
        Assert.That(matches.Select(m => string.Join(',', CheckRun.Tags(m).Where(t => t.StartsWith("source:", StringComparison.Ordinal)))), Is.Unique);
        Assert.That(run.Summaries.Single().GetProperty("merged_series").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public async Task An_unusable_state_dir_costs_the_counts_not_the_run()
    {
        await using var server = StartReplay();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n  - openmetrics_endpoint: {server.BaseUrl}/metrics\n");
        File.WriteAllText(Path.Combine(config.Folder, "state"), "a file where state_dir should be");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Errors, Does.Contain($"cannot use counter state in {Path.Combine(config.Folder, "state")}"));
        Assert.That(run.Summaries, Has.Count.EqualTo(2), "every instance ran");
        Assert.That(run.Metrics, Is.Not.Empty);
    }

    [Test]
    public async Task Two_instances_of_one_endpoint_keep_counter_state_of_their_own()
    {
        // Each scrape of the replay moves its counters by one step, and the two instances scrape it in either order: between
        // its two runs an instance sees one to three steps, and the two together four (requests 1-2, then 3-4).
        await using var server = StartReplay();
        string endpoint = $"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n";
        using var config = new TestConfig(endpoint + endpoint + "    tags: [copy:2]\n");
        var step = ExpectedIncrease("falco-0.41.0_prometheus_base", "falcosecurity_falco_duration_seconds_total");
        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var second = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var counts = second.Metrics.Where(m => m.GetProperty("metric").GetString() == "falco.duration.seconds.count").ToList();
        Assert.That(counts, Has.Count.EqualTo(2), "one count per instance");
        var values = counts.Select(m => m.GetProperty("value").GetDouble()).ToList();
        Assert.That(values, Has.All.InRange(step, 3 * step));
        Assert.That(values.Sum(), Is.EqualTo(4 * step).Within(1e-6 * step));
        Assert.That(Directory.GetFiles(Path.Combine(config.Folder, "state"), "*.json"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task A_Falco_restart_between_runs_gives_the_raw_value_not_a_negative_or_a_skip()
    {
        await using var server = StartReplay();
        const string payload = "falco-0.41.0_prometheus_base";
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/{payload}/metrics\n");
        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        server[payload].Restart(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var afterRestart = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var duration = afterRestart.Metrics.Single(m => m.GetProperty("metric").GetString() == "falco.duration.seconds.count");
        Assert.That(duration.GetProperty("value").GetDouble(), Is.EqualTo(91), "the recorded value: Falco counted it since its restart");
    }

    [Test]
    public async Task The_file_sink_receives_the_same_json_lines()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n");

        var run = await CheckRun.RunAsync(config, JsonRate);

        var written = CheckRun.ParseLines(await File.ReadAllTextAsync(config.MetricsFile));
        Assert.That(written, Has.Count.EqualTo(run.Metrics.Count + run.ServiceChecks.Count));
        Assert.That(written.Select(l => l.ToString()), Is.EqualTo(run.Metrics.Concat(run.ServiceChecks).Select(l => l.ToString())));
    }

    [Test]
    public async Task The_table_lists_series_service_check_and_a_summary_line()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Rate = true, RateInterval = TimeSpan.FromMilliseconds(100) });

        Assert.That(run.Output, Does.Contain("falco.rules.matches.count  count  "));
        Assert.That(run.Output, Does.Contain("falco.openmetrics.health  OK"));
        Assert.That(run.Output, Does.Match($@"instance 0 http://127\.0\.0\.1:{server.Port}/metrics: OK, Falco 0\.40\.0, \d+ series submitted"));
    }

    [Test]
    public async Task One_instance_can_be_selected()
    {
        await using var server = StartReplay();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_rules/metrics\n");

        var run = await CheckRun.RunAsync(config, JsonRate with { Instance = 1 });

        Assert.That(run.Summaries.Single().GetProperty("endpoint").GetString(), Does.EndWith("falco-0.41.0_prometheus_rules/metrics"));
    }

    [Test]
    public async Task Broken_endpoints_are_critical_each_with_its_reason_and_the_good_one_still_submits()
    {
        await using var replay = StartReplay();
        await using var hanging = new TestHttpServer(async context => await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
        await using var garbage = new TestHttpServer(context => TestHttpServer.WriteAsync(context, [0x00, 0xFF, 0x13, 0x37, (byte)'\n', 0x01]));
        await using var starting = new TestHttpServer(context => TestHttpServer.WriteAsync(context, "Not Found"u8.ToArray(), "text/plain", 404));
        var refusedPort = TestHttpServer.FreePort();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n" +
            $"  - openmetrics_endpoint: http://127.0.0.1:{refusedPort}/metrics\n" +
            $"  - openmetrics_endpoint: {hanging.Url}\n    timeout: 1\n" +
            $"  - openmetrics_endpoint: {garbage.Url}\n" +
            $"  - openmetrics_endpoint: {starting.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Exit, Is.EqualTo(1));
        var byInstance = run.Summaries.ToDictionary(s => s.GetProperty("instance").GetInt32());
        Assert.That(byInstance[0].GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(byInstance[0].GetProperty("series_submitted").GetInt32(), Is.GreaterThan(10));
        Assert.That(byInstance[1].GetProperty("message").GetString(), Does.Contain("connection refused"));
        Assert.That(byInstance[2].GetProperty("message").GetString(), Does.Contain("timed out"));
        Assert.That(byInstance[3].GetProperty("message").GetString(), Does.Contain("not Prometheus text"));
        Assert.That(byInstance[4].GetProperty("message").GetString(), Does.Contain("404").And.Contain("start-up"));
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            Assert.That(byInstance[i].GetProperty("status").GetString(), Is.EqualTo("critical"), $"instance {i}");
        }

        var criticalChecks = run.ServiceChecks.Where(c => c.GetProperty("status").GetString() == "critical").ToList();
        Assert.That(criticalChecks, Has.Count.EqualTo(4));
        Assert.That(criticalChecks.Select(c => c.GetProperty("message").GetString()), Has.All.Not.Empty);
    }

    [Test]
    public async Task Ignore_connection_errors_skips_without_a_critical()
    {
        var refusedPort = TestHttpServer.FreePort();
        using var config = new TestConfig($"  - openmetrics_endpoint: http://127.0.0.1:{refusedPort}/metrics\n    ignore_connection_errors: true\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Exit, Is.EqualTo(0));
        Assert.That(run.ServiceChecks, Is.Empty);
        Assert.That(run.Summaries.Single().GetProperty("status").GetString(), Is.EqualTo("skipped"));
    }

    [Test]
    public async Task Health_service_check_can_be_disabled()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    enable_health_service_check: false\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.ServiceChecks, Is.Empty);
        Assert.That(run.Metrics, Is.Not.Empty);
    }

    [Test]
    public async Task A_payload_cut_in_the_middle_loses_only_the_cut_line()
    {
        var full = await File.ReadAllTextAsync(RepoPaths.DatadogFixture);
        var cutAt = full.IndexOf("rule_name=\"Create Privileged Pod\"", StringComparison.Ordinal);
        var cut = Encoding.UTF8.GetBytes(full[..cutAt]);
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, cut));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var summary = run.Summaries.Single();
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(summary.GetProperty("invalid_lines").GetInt32(), Is.EqualTo(1));
        Assert.That(summary.GetProperty("message").GetString(), Does.Contain("line 48"));
        Assert.That(run.Metrics.Select(m => m.GetProperty("metric").GetString()), Does.Contain("falco.evt.source").And.Contain("falco.host.num.cpus"));
    }

    [Test]
    public async Task A_payload_over_max_response_size_is_refused_without_reading_it_all()
    {
        var huge = new byte[100 * 1024 * 1024];
        Array.Fill(huge, (byte)'#');
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, huge));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Exit, Is.EqualTo(1));
        Assert.That(run.Summaries.Single().GetProperty("message").GetString(), Does.Contain("max_response_size"));
    }

    [Test]
    public async Task Gzip_responses_are_accepted()
    {
        var body = await File.ReadAllBytesAsync(RepoPaths.DatadogFixture);
        await using var server = new TestHttpServer(async context =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(body);
            }

            context.Response.AddHeader("Content-Encoding", "gzip");
            await TestHttpServer.WriteAsync(context, compressed.ToArray());
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Summaries.Single().GetProperty("payload_bytes").GetInt32(), Is.EqualTo(body.Length));
        Assert.That(server.LastHeaders!["Accept-Encoding"], Does.Contain("gzip"));
    }

    [Test]
    public async Task Prometheus_text_is_asked_for_by_default_and_OpenMetrics_with_use_latest_spec()
    {
        const string openMetrics = "# TYPE falcosecurity_falco_outputs_queue_num_drops counter\nfalcosecurity_falco_outputs_queue_num_drops_total 3\n# EOF\n";
        await using var server = new TestHttpServer(context =>
            TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(openMetrics), "application/openmetrics-text; version=1.0.0; charset=utf-8"));
        using var plain = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");
        using var latest = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    use_latest_spec: true\n");

        await CheckRun.RunAsync(plain, new CheckRunOptions { Json = true });
        var plainAccept = server.LastHeaders!["Accept"];
        var run = await CheckRun.RunAsync(latest, new CheckRunOptions { Json = true });

        Assert.That(plainAccept, Does.StartWith("text/plain;version=0.0.4"));
        Assert.That(server.LastHeaders!["Accept"], Does.StartWith("application/openmetrics-text"));
        Assert.That(run.Summaries.Single().GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(run.Summaries.Single().GetProperty("invalid_lines").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Basic_auth_and_headers_are_sent_and_the_password_is_never_printed()
    {
        const string password = "s3cr3t-Pa55";
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, "denied"u8.ToArray(), "text/plain", 401));
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.Url}\n    username: falco\n    password: {password}\n    extra_headers:\n      X-Cluster: blue\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("falco:" + password));
        Assert.That(server.LastHeaders!["Authorization"], Is.EqualTo(expected));
        Assert.That(server.LastHeaders!["X-Cluster"], Is.EqualTo("blue"));
        Assert.That(run.Summaries.Single().GetProperty("message").GetString(), Does.Contain("401"));
        Assert.That(run.Output + run.Errors, Does.Not.Contain(password).And.Not.Contain(expected["Basic ".Length..]));
    }

    [Test]
    public async Task Headers_replace_the_defaults()
    {
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, "falcosecurity_falco_host_num_cpus_total 4\n"u8.ToArray()));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    headers:\n      Accept: text/plain\n");

        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(server.LastHeaders!["Accept"], Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Auth_token_is_read_from_its_file_at_each_scrape_and_never_printed()
    {
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, "falcosecurity_falco_host_num_cpus_total 4\n"u8.ToArray()));
        using var config = new TestConfig(string.Empty);
        var tokenFile = Path.Combine(config.Folder, "token");
        await File.WriteAllTextAsync(tokenFile, "first-token\n");
        await File.WriteAllTextAsync(Path.Combine(config.Folder, "conf.d", "falco.d", "conf.yaml"),
            $"instances:\n  - openmetrics_endpoint: {server.Url}\n    auth_token:\n      reader:\n        type: file\n        path: {tokenFile}\n      writer:\n        type: header\n        name: Authorization\n        value: Bearer <TOKEN>\n");

        await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });
        var first = server.LastHeaders!["Authorization"];
        await File.WriteAllTextAsync(tokenFile, "rotated-token\n");
        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(first, Is.EqualTo("Bearer first-token"));
        Assert.That(server.LastHeaders!["Authorization"], Is.EqualTo("Bearer rotated-token"));
        Assert.That(run.Output + run.Errors, Does.Not.Contain("rotated-token"));
    }

    [Test]
    public async Task A_bad_instance_is_a_config_error_and_the_others_still_run()
    {
        await using var server = StartReplay();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    timeuot: 3\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Exit, Is.EqualTo(2));
        Assert.That(run.Errors, Does.Match(@"conf\.yaml:\d+:\d+: .*timeuot"));
        Assert.That(run.Summaries.Single().GetProperty("status").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Hostname_label_moves_series_to_the_labelled_host()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    hostname_label: hostname\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var hostname = run.Metrics.Single(m => m.GetProperty("metric").GetString() == "falco.evt.hostname");
        Assert.That(hostname.GetProperty("host").GetString(), Is.EqualTo("minikube"));
    }

    [Test]
    public async Task Tag_by_endpoint_false_leaves_the_endpoint_tag_out()
    {
        await using var server = StartReplay();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/metrics\n    tag_by_endpoint: false\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        Assert.That(run.Metrics.SelectMany(CheckRun.Tags), Has.None.StartWith("endpoint:"));
    }
}
