using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Routing keys on every <c>alerts.sinks</c> entry, the alertmanager and webhook sinks: values and every error's place.</summary>
internal sealed class AlertSinksConfigTests
{
    private const string WebhookUrl = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX";

    [Test]
    public void Reads_routes_and_the_alertmanager_and_webhook_settings()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", $$"""
            alerts:
              sinks:
                - type: alertmanager
                  url: http://alertmanager:9093
                  minimum_priority: critical
                  expires_after: 600
                  extra_labels: {team: sec}
                  bearer_token: am-token
                - type: webhook
                  url: {{WebhookUrl}}
                  format: slack
                  rules: [Terminal shell in container]
                  tags: [T1059]
                  sources: [syscall, k8s_audit]
                - type: file
                  path: all.jsonl
                  minimum_priority: Info
            """);

        AlertsConfig alerts = ConfigLoader.LoadAgent(path, NoEnv).Alerts!;

        var am = (AlertmanagerSinkConfig)alerts.Sinks[0];
        var hook = (WebhookSinkConfig)alerts.Sinks[1];
        Assert.Multiple(() =>
        {
            Assert.That(am.Route.MinimumPriority, Is.EqualTo(FalcoPriority.Critical));
            Assert.That(am.Options.Endpoint.Url, Is.EqualTo(new Uri("http://alertmanager:9093")));
            Assert.That(am.Options.Endpoint.BearerToken!.Reveal(), Is.EqualTo("am-token"));
            Assert.That(am.Options.ExpiresAfter, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(am.Options.ExtraLabels, Is.EqualTo(new Dictionary<string, string> { ["team"] = "sec" }));
            Assert.That(hook.Options.Format, Is.EqualTo(WebhookFormat.Slack));
            Assert.That(hook.Options.Endpoint.Url, Is.EqualTo(new Uri(WebhookUrl)));
            Assert.That(hook.Options.Endpoint.DisplayName, Is.EqualTo("https://hooks.slack.com"), "the path is the token");
            Assert.That(hook.Route.MinimumPriority, Is.EqualTo(FalcoPriority.Debug));
            Assert.That(hook.Route.Rules, Is.EquivalentTo(new[] { "Terminal shell in container" }));
            Assert.That(hook.Route.Tags, Is.EquivalentTo(new[] { "T1059" }));
            Assert.That(hook.Route.Sources, Is.EquivalentTo(new[] { "syscall", "k8s_audit" }));
            Assert.That(alerts.Sinks[2].Route.MinimumPriority, Is.EqualTo(FalcoPriority.Informational), "Falco's 'info' alias");
            Assert.That(alerts.ToString() + am + hook, Does.Not.Contain("XXXXsecretXXXX").And.Not.Contain("am-token"));
        });
    }

    [Test]
    public void A_sink_without_routing_keys_receives_everything()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "alerts:\n  sinks:\n    - type: console\n");

        Assert.That(ConfigLoader.LoadAgent(path, NoEnv).Alerts!.Sinks[0].Route.IsAll, Is.True);
    }

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case("priority unknown", "alerts:\n  sinks:\n    - type: console\n      minimum_priority: high\n",
            "falcocheck.yaml:4:25: alerts.sinks[0].minimum_priority: unknown priority 'high'; expected one of emergency, alert, critical, error, warning, notice, informational, debug (Falco's priorities, highest first)");
        yield return Case("priority a list", "alerts:\n  sinks:\n    - type: console\n      minimum_priority: [critical]\n",
            "falcocheck.yaml:4:25: alerts.sinks[0].minimum_priority: expected a string, got a list");
        yield return Case("Falcosidekick's spelling", "alerts:\n  sinks:\n    - type: file\n      path: a.jsonl\n      minimumpriority: critical\n",
            "falcocheck.yaml:5:7: alerts.sinks[0].minimumpriority: unknown setting 'minimumpriority'; did you mean 'minimum_priority'?");
        yield return Case("rules a string", "alerts:\n  sinks:\n    - type: console\n      rules: Terminal shell\n",
            "falcocheck.yaml:4:14: alerts.sinks[0].rules: expected a list of strings, got a string");
        yield return Case("tags empty", "alerts:\n  sinks:\n    - type: console\n      tags: []\n",
            "falcocheck.yaml:4:13: alerts.sinks[0].tags: an empty list sends this sink nothing; list at least one, or remove tags to send every alert");
        yield return Case("sources item not a string", "alerts:\n  sinks:\n    - type: console\n      sources: [syscall, [x]]\n",
            "falcocheck.yaml:4:26: alerts.sinks[0].sources[1]: expected a string, got a list");
        yield return Case("alertmanager without url", "alerts:\n  sinks:\n    - type: alertmanager\n",
            "falcocheck.yaml:3:7: alerts.sinks[0].url: required setting is missing");
        yield return Case("alertmanager expires_after zero", "alerts:\n  sinks:\n    - type: alertmanager\n      url: http://am:9093\n      expires_after: 0\n",
            "falcocheck.yaml:5:22: alerts.sinks[0].expires_after: must be greater than 0 seconds, got '0'");
        yield return Case("alertmanager expires_after over a day", "alerts:\n  sinks:\n    - type: alertmanager\n      url: http://am:9093\n      expires_after: 40000000\n",
            "falcocheck.yaml:5:22: alerts.sinks[0].expires_after: must be at most 86400 seconds (one day), got '40000000'");
        yield return Case("alertmanager bad label name", "alerts:\n  sinks:\n    - type: alertmanager\n      url: http://am:9093\n      extra_labels: {team-name: sec}\n",
            "falcocheck.yaml:5:21: alerts.sinks[0].extra_labels: label name 'team-name' is not a valid Alertmanager label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        yield return Case("alertmanager unknown key", "alerts:\n  sinks:\n    - type: alertmanager\n      url: http://am:9093\n      expiresafter: 60\n",
            "falcocheck.yaml:5:7: alerts.sinks[0].expiresafter: unknown setting 'expiresafter'; did you mean 'expires_after'?");
        yield return Case("webhook format unknown", "alerts:\n  sinks:\n    - type: webhook\n      url: https://example.com/hook\n      format: discord\n",
            "falcocheck.yaml:5:15: alerts.sinks[0].format: expected one of json, slack, mattermost, teams, got 'discord'");
        yield return Case("webhook url not a url", "alerts:\n  sinks:\n    - type: webhook\n      url: hooks.slack.com/services/T0/B0/tok3n\n",
            "falcocheck.yaml:4:12: alerts.sinks[0].url: expected an absolute URL such as http://host:port/");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(Render(e!.Errors, dir), Is.EqualTo(new[] { expected }));
        Assert.That(e.Message, Does.Not.Contain("tok3n"), "a webhook URL is never quoted");
    }

    [Test]
    public void Routing_keys_are_not_accepted_on_metrics_sinks()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "sinks:\n  - type: console\n    minimum_priority: critical\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        Assert.That(e!.Message, Does.Contain("sinks[0].minimum_priority: unknown setting"));
    }

    private static TestCaseData Case(string name, string yaml, string expected) => new TestCaseData(yaml, expected).SetName(name);
}
