using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Alerts.AlertSamples;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// conf.yaml's <c>logs:</c>, as Datadog's Falco integration sets up log collection: <c>type: file</c> entries are
/// followed as alert files, with their own service and tags; what only the Datadog Agent does is a notice.
/// </summary>
internal sealed class LogInputTests
{
    private const string OneInstance = "instances:\n  - openmetrics_endpoint: http://localhost:8765/metrics\n";

    [Test]
    public void File_entries_are_read_and_the_Agents_other_log_settings_are_notices()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, OneInstance + """
            logs:
              - type: file
                path: events.json
                source: falco
                service: falco-node
                tags: [team:security, "env:prod"]
                start_position: end
              - type: journald
                include_units: [falco-modern-bpf.service]
                sourcecategory: security
              - type: file
                path: /var/log/other.json
                tags: "a:1, b:2"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(config.Errors, Is.Empty);
            Assert.That(config.LogFiles.Select(f => (f.Path, f.Service, string.Join(",", f.Tags))), Is.EqualTo(new[]
            {
                (Path.Combine(dir.Path, "events.json"), (string?)"falco-node", "team:security,env:prod"),
                ("/var/log/other.json", (string?)null, "a:1,b:2"),
            }));
            Assert.That(config.Notices.Select(n => n.SettingPath), Is.EqualTo(new[] { "logs[0].start_position", "logs[1].type" }));
        });
    }

    [Test]
    public void A_file_entry_without_a_path_is_an_error_at_its_place()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, OneInstance + "logs:\n  - type: file\n    service: s\n");

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[] { "conf.yaml:4:5: logs[0].path: required setting is missing" }));
    }

    [Test]
    public async Task A_logs_file_is_followed_with_its_service_and_tags()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        File.WriteAllText(events, OneLine + "\n");
        var input = new LogFileInput(events, "falco-node", ["team:security"], new SourcePosition("conf.yaml", 1, 1));
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(c => c with { Http = null, LogFiles = [input] }, _ => sink, stateDir: dir.Path).StartAsync();

        await Eventually.TrueAsync(() => sink.Entries.Count == 1, "the alert in the file");

        var document = JsonDocument.Parse(sink.Entries[0]).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(document.GetProperty("service").GetString(), Is.EqualTo("falco-node"));
            Assert.That(document.GetProperty("ddtags").GetString(), Does.StartWith("env:test,team:security,"));
        });
    }

    [Test]
    public void The_daemon_follows_logs_files_even_without_an_alerts_section()
    {
        var input = new LogFileInput("/var/log/falco/events.json", null, [], new SourcePosition("conf.yaml", 1, 1));
        var check = new CheckConfig("conf.yaml", InitConfig.Default, [], [], 0) { LogFiles = [input] };
        var agent = new AgentConfig { StateDir = "/var/lib/falcocheck" };
        DaemonOptions Options(AgentConfig a, CheckConfig c) => new() { Agent = a, Check = c, GetEnv = _ => null, Console = TextWriter.Null };

        var withLogs = DaemonHost.AlertsOf(Options(agent, check));
        var without = DaemonHost.AlertsOf(Options(agent, check with { LogFiles = [] }));

        Assert.Multiple(() =>
        {
            Assert.That(without, Is.Null, "no alerts section and no logs: no alert input");
            Assert.That(withLogs!.LogFiles, Is.EqualTo(new[] { input }));
            Assert.That(withLogs.Http, Is.Null, "no receiver is opened for it");
            Assert.That(withLogs.Sinks.Select(s => s.Type), Is.EqualTo(new[] { "console" }));
            Assert.That(withLogs.FileStateDir, Is.EqualTo(Path.Combine("/var/lib/falcocheck", "alerts", "files")));
        });
    }
}
