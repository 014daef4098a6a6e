using System.Text.Json;
using FalcoCheck.Alerts;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Real alerts in, the documented log document out, field by field.</summary>
internal sealed class AlertNormalizerTests
{
    private static JsonElement Normalize(string alert, AlertContext? context = null)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, context ?? Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return Document(normalized!);
    }

    [TestCase("oneline")]
    [TestCase("pretty")]
    public void Falcos_documented_alert_becomes_the_documented_log(string which)
    {
        JsonElement doc = Normalize(which == "oneline" ? OneLine : Pretty);

        Assert.Multiple(() =>
        {
            Assert.That(doc.GetProperty("status").GetString(), Is.EqualTo("critical"));
            Assert.That(doc.GetProperty("timestamp").GetInt64(), Is.EqualTo(1685022245478));
            Assert.That(doc.GetProperty("timestamp_ns").GetInt64(), Is.EqualTo(1685022245478445995), "nanoseconds, exactly");
            Assert.That(doc.GetProperty("time").GetString(), Is.EqualTo("2023-05-25T13:44:05.478445995Z"));
            Assert.That(doc.GetProperty("hostname").GetString(), Is.EqualTo("falco-xczjd"), "the alert's host wins over ours");
            Assert.That(doc.GetProperty("service").GetString(), Is.EqualTo("falco"));
            Assert.That(doc.GetProperty("ddsource").GetString(), Is.EqualTo("falco"));
            Assert.That(doc.GetProperty("message").GetString(), Does.StartWith("13:44:05.478445995: Critical A shell was spawned"));
            Assert.That(doc.GetProperty("output").GetString(), Is.EqualTo(doc.GetProperty("message").GetString()));
            Assert.That(doc.GetProperty("rule").GetString(), Is.EqualTo("Terminal shell in container"));
            Assert.That(doc.GetProperty("priority").GetString(), Is.EqualTo("Critical"));
            Assert.That(doc.GetProperty("source").GetString(), Is.EqualTo("syscall"));
            Assert.That(doc.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "container", "mitre_execution", "shell" }));
            Assert.That(doc.GetProperty("usr").GetProperty("name").GetString(), Is.EqualTo("root"));

            JsonElement fields = doc.GetProperty("output_fields");
            Assert.That(fields.TryGetProperty("user.name", out _), Is.False, "moved to usr.name");
            Assert.That(fields.GetProperty("evt.time").GetRawText(), Is.EqualTo("1685022245478445995"), "numbers keep every digit");
            Assert.That(fields.GetProperty("evt.time").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(fields.GetProperty("proc.tty").GetInt32(), Is.EqualTo(34816));
            Assert.That(fields.GetProperty("user.loginuid").GetInt32(), Is.EqualTo(-1));
            Assert.That(fields.GetProperty("proc.cmdline").GetString(), Is.EqualTo("sh -c clear; (bash || ash || sh)"));
            Assert.That(fields.EnumerateObject().Count(), Is.EqualTo(10));

            Assert.That(DdTags(doc), Is.EqualTo(new[]
            {
                "env:test", "rule_name:Terminal shell in container", "priority_name:critical", "falco_source:syscall",
                "falco_tag:container", "falco_tag:mitre_execution", "mitre_tactic:execution", "falco_tag:shell",
                "kube_namespace:default", "pod_name:kubecon", "container_id:ee97d9c4186f", "image_name:docker.io/library/alpine",
            }));
        });
    }

    [Test]
    public void Both_shapes_of_the_documented_alert_give_the_same_attributes()
    {
        static Dictionary<string, string> Flat(JsonElement doc) =>
            doc.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Object
                ? string.Join(",", p.Value.EnumerateObject().Select(c => c.Name + "=" + c.Value.GetRawText()).Order(StringComparer.Ordinal))
                : p.Value.GetRawText());

        Assert.That(Flat(Normalize(Pretty)), Is.EquivalentTo(Flat(Normalize(OneLine))));
    }

    [Test]
    public void Datadogs_own_test_sample_gives_the_attributes_its_pipeline_expects()
    {
        (string sample, YamlMappingNode expected, long timestampMs) = DatadogSample();

        JsonElement doc = Normalize(sample);

        Assert.Multiple(() =>
        {
            foreach ((YamlNode key, YamlNode value) in expected.Children)
            {
                string name = ((YamlScalarNode)key).Value!;
                Assert.That(doc.TryGetProperty(name, out JsonElement actual), Is.True, $"attribute '{name}' is missing");
                AssertSame(value, actual, name, exact: name == "output_fields");
            }

            Assert.That(doc.GetProperty("timestamp").GetInt64(), Is.EqualTo(timestampMs));
            Assert.That(DdTags(doc), Is.SupersetOf(new[]
            {
                "mitre_technique:T1555", "mitre_tactic:credential_access", "kube_namespace:default", "pod_name:nginx-7854ff8877-vrlrs",
                "container_name:nginx", "container_id:c1f3a8646e7f", "image_name:docker.io/library/nginx", "image_tag:latest",
            }));
        });
    }

    /// <summary>YAML expectation vs our JSON; <paramref name="exact"/> also refuses keys the expectation does not have.</summary>
    private static void AssertSame(YamlNode expected, JsonElement actual, string path, bool exact)
    {
        switch (expected)
        {
            case YamlMappingNode mapping:
                Assert.That(actual.ValueKind, Is.EqualTo(JsonValueKind.Object), path);
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                {
                    string name = ((YamlScalarNode)key).Value!;
                    Assert.That(actual.TryGetProperty(name, out JsonElement child), Is.True, $"{path}.{name} is missing");
                    AssertSame(value, child, path + "." + name, exact);
                }

                if (exact)
                {
                    Assert.That(actual.EnumerateObject().Select(p => p.Name),
                        Is.EquivalentTo(mapping.Children.Keys.Select(k => ((YamlScalarNode)k).Value)), $"{path} has exactly these keys");
                }

                break;
            case YamlSequenceNode sequence:
                Assert.That(actual.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(sequence.Children.Select(c => ((YamlScalarNode)c).Value)), path);
                break;
            case YamlScalarNode scalar:
                string text = actual.ValueKind == JsonValueKind.String ? actual.GetString()! : actual.GetRawText();
                Assert.That(text, Is.EqualTo(scalar.Value), path);
                break;
        }
    }

    private static IEnumerable<TestCaseData> Priorities()
    {
        yield return new TestCaseData("Emergency", "critical", "emergency").SetName("Emergency is critical");
        yield return new TestCaseData("Alert", "critical", "alert").SetName("Alert is critical");
        yield return new TestCaseData("Critical", "critical", "critical").SetName("Critical is critical");
        yield return new TestCaseData("Error", "error", "error").SetName("Error is error");
        yield return new TestCaseData("Warning", "warning", "warning").SetName("Warning is warning");
        yield return new TestCaseData("Notice", "notice", "notice").SetName("Notice is notice");
        yield return new TestCaseData("Informational", "info", "informational").SetName("Informational is info");
        yield return new TestCaseData("Info", "info", "informational").SetName("Info (rule-file spelling) is info");
        yield return new TestCaseData("Debug", "debug", "debug").SetName("Debug is debug");
        yield return new TestCaseData("WARNING", "warning", "warning").SetName("Priority case is ignored");
    }

    [TestCaseSource(nameof(Priorities))]
    public void Priority_becomes_status(string priority, string status, string tag)
    {
        JsonElement doc = Normalize(Numbered(1, priority));

        Assert.That(doc.GetProperty("status").GetString(), Is.EqualTo(status));
        Assert.That(DdTags(doc), Does.Contain("priority_name:" + tag));
        Assert.That(doc.GetProperty("priority").GetString(), Is.EqualTo(priority), "Falco's own value is kept");
    }

    [Test]
    public void An_alert_from_an_old_Falco_without_output_fields_tags_hostname_or_source_passes()
    {
        JsonElement doc = Normalize("""{"output":"12:00:00.000000000: Notice x","priority":"Notice","rule":"Old rule","time":"2019-01-01T12:00:00.000000000Z"}""");

        Assert.Multiple(() =>
        {
            Assert.That(doc.GetProperty("hostname").GetString(), Is.EqualTo("agent-host"), "our host when the alert has none");
            Assert.That(doc.GetProperty("status").GetString(), Is.EqualTo("notice"));
            Assert.That(doc.GetProperty("timestamp").GetInt64(), Is.EqualTo(1546344000000));
            Assert.That(doc.TryGetProperty("output_fields", out _), Is.False);
            Assert.That(doc.TryGetProperty("usr", out _), Is.False);
            Assert.That(DdTags(doc), Is.EqualTo(new[] { "env:test", "rule_name:Old rule", "priority_name:notice" }));
        });
    }

    [Test]
    public void Without_time_the_event_time_dates_the_alert_and_without_either_the_clock_does()
    {
        JsonElement fromEvent = Normalize("""{"rule":"r","priority":"Debug","output_fields":{"evt.time":1685022245478445995}}""");
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        JsonElement fromClock = Normalize("""{"rule":"r","priority":"Debug","time":"yesterday"}""", Context(clock));

        Assert.That(fromEvent.GetProperty("timestamp_ns").GetInt64(), Is.EqualTo(1685022245478445995));
        Assert.That(fromClock.GetProperty("timestamp").GetInt64(), Is.EqualTo(1_700_000_000_123));
        Assert.That(fromClock.GetProperty("message").GetString(), Is.EqualTo("r"), "the rule when there is no output");
    }

    [Test]
    public void Uuid_and_unknown_properties_are_kept_and_reserved_names_are_ours()
    {
        JsonElement doc = Normalize("""{"rule":"r","priority":"Error","uuid":"5b2f…-42","custom":{"a":1},"status":"spoofed","hostname":""}""");

        Assert.That(doc.GetProperty("uuid").GetString(), Is.EqualTo("5b2f…-42"));
        Assert.That(doc.GetProperty("custom").GetProperty("a").GetInt32(), Is.EqualTo(1));
        Assert.That(doc.GetProperty("status").GetString(), Is.EqualTo("error"));
        Assert.That(doc.GetProperty("hostname").GetString(), Is.EqualTo("agent-host"), "an empty hostname is no hostname");
    }

    [Test]
    public void Evt_type_moves_to_evt_name_in_flat_fields_too_and_host_containers_are_not_tagged()
    {
        JsonElement doc = Normalize("""{"rule":"r","priority":"Error","output_fields":{"evt.type":"execve","container.id":"host","k8s.ns.name":"<NA>","container.name":"a,b"}}""");

        Assert.That(doc.GetProperty("evt").GetProperty("name").GetString(), Is.EqualTo("execve"));
        Assert.That(doc.GetProperty("output_fields").TryGetProperty("evt.type", out _), Is.False);
        Assert.That(DdTags(doc), Has.None.StartsWith("container_id:").And.None.StartsWith("kube_namespace:"));
        Assert.That(DdTags(doc), Does.Contain("container_name:a_b"), "a comma would split ddtags");
    }

    private static IEnumerable<TestCaseData> NotAlerts()
    {
        yield return new TestCaseData("""{"priority":"Error","output":"x"}""", "'rule' is missing").SetName("no rule");
        yield return new TestCaseData("""{"rule":7,"priority":"Error"}""", "'rule' is missing or not a string").SetName("rule not a string");
        yield return new TestCaseData("""{"rule":"r"}""", "'priority' is missing").SetName("no priority");
        yield return new TestCaseData("""{"rule":"r","priority":"Severe"}""", "not one of Emergency").SetName("unknown priority");
        yield return new TestCaseData("""["x"]""", "expected an alert object, got an array").SetName("not an object");
    }

    [TestCaseSource(nameof(NotAlerts))]
    public void Something_that_is_not_an_alert_is_refused_with_the_reason(string json, string reason)
    {
        using JsonDocument input = JsonDocument.Parse(json);

        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out _, out string? error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
