using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>The option tables themselves: well formed, and every documented example and default loads.</summary>
internal sealed class OptionTableTests
{
    /// <summary>Options that need another to be valid (the pair checks), given with it in the example test.</summary>
    private static readonly Dictionary<string, string> Companions = new(StringComparer.Ordinal)
    {
        ["username"] = "password: pw",
        ["password"] = "username: user",
        ["tls_private_key"] = "tls_cert: /c.pem",
        ["tls_key"] = "tls_cert: /c.pem",
        ["secret_backend_arguments"] = "secret_backend_command: /usr/local/bin/fetch-secrets",
        ["secret_backend_timeout"] = "secret_backend_command: /usr/local/bin/fetch-secrets",
        ["secret_backend_output_max_size"] = "secret_backend_command: /usr/local/bin/fetch-secrets",
    };

    private static readonly Func<string, string?> ExampleEnv = Env(("FALCO_PASSWORD", "pw"), ("SINK_PASSWORD", "pw"), ("SINK_TOKEN", "t"),
        ("NATS_TOKEN", "t"), ("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/X"), ("FALCO_ALERTS_TOKEN", "t"),
        ("DD_API_KEY", "k"), ("NODE_NAME", "node-1"), ("KUBERNETES_SERVICE_HOST", "10.0.0.1"));

    private static IEnumerable<TestCaseData> EveryOption() =>
        from section in ConfigSections.All
        from option in section.Options
        where !option.Required
        select new TestCaseData(section, option).SetArgDisplayNames($"{section.Name}.{option.Name}");

    [Test]
    public void Sections_have_unique_names_and_documented_options()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConfigSections.All.Select(s => s.Name), Is.Unique);
            foreach (OptionSection section in ConfigSections.All)
            {
                Assert.That(section.Options.Select(o => o.Name), Is.Unique, section.Name);
                Assert.That(section.Options.Where(o => string.IsNullOrWhiteSpace(o.Doc) || o.Doc.Contains('\n', StringComparison.Ordinal)),
                    Is.Empty, $"{section.Name}: every option has one line of doc");
            }
        });
    }

    /// <summary>
    /// Each option's documented example, alone in its section (with the section's required options), loads without
    /// an error: an example can never show something the reader refuses.
    /// </summary>
    [TestCaseSource(nameof(EveryOption))]
    public void Example_loads(OptionSection section, ConfigOption option)
    {
        using var dir = new TempDir();
        var lines = section.Options.Where(o => o.Required).SelectMany(OptionDocs.ExampleLines).Concat(OptionDocs.ExampleLines(option)).ToList();
        if (Companions.TryGetValue(option.Name, out string? companion))
        {
            lines.Add(companion);
        }

        if (section.Name == "alerts.sinks.syslog" && option.Name.StartsWith("tls_", StringComparison.Ordinal))
        {
            lines.Add("protocol: tls");
        }

        Assert.That(Load(dir, section.Name, lines), Is.Empty);
    }

    private static IEnumerable<TestCaseData> DerivedDefaults() =>
        from section in ConfigSections.All
        from option in section.Options
        from source in option.DerivedFrom
        where section.Find(source) is not null
        from value in new[] { "0.001", "86400" }
        select new TestCaseData(section, option, section.Find(source), value).SetArgDisplayNames($"{section.Name}.{option.Name} with {source}: {value}");

    /// <summary>A default declared as derived adapts to what it follows: that option alone, at either end of its range, loads.</summary>
    [TestCaseSource(nameof(DerivedDefaults))]
    public void Derived_default_adapts(OptionSection section, ConfigOption option, ConfigOption? source, string value)
    {
        using var dir = new TempDir();
        Assert.That(source, Is.Not.Null, $"{option.Name} follows an option its section does not have");
        var lines = section.Options.Where(o => o.Required).SelectMany(OptionDocs.ExampleLines).Append($"{source!.Name}: {value}").ToList();

        Assert.That(Load(dir, section.Name, lines), Is.Empty);
    }

    [Test]
    public void Every_derived_default_is_declared()
    {
        var derived = ConfigSections.All.SelectMany(s => s.Options).Where(o => o.DerivedFrom.Count > 0).Select(o => o.Name).Distinct();

        var unknown = from section in ConfigSections.All
                      from option in section.Options
                      from source in option.DerivedFrom
                      where ConfigSections.All.All(s => s.Find(option.Name) != option || s.Find(source) is null)
                      select $"{option.Name} follows {source}";

        Assert.That(derived, Is.SupersetOf(new[] { "timeout", "connect_timeout", "read_timeout", "min_collection_interval", "retry_initial_backoff", "retry_max_backoff" }));
        Assert.That(unknown, Is.Empty, "a derived default follows an option no section beside it has");
    }

    [Test]
    public void Instance_defaults_are_the_declared_ones()
    {
        using var dir = new TempDir();
        var instance = LoadCheck(dir, Instance()).Instances.Single();

        Assert.Multiple(() =>
        {
            Assert.That(instance.MaxRules, Is.EqualTo(InstanceConfigReader.MaxRules.DefaultValue));
            Assert.That(instance.MaxResponseBytes, Is.EqualTo(InstanceConfigReader.MaxResponseSize.DefaultValue));
            Assert.That(instance.MinCollectionInterval, Is.EqualTo(InstanceConfigReader.Interval.DefaultValue));
            Assert.That(instance.Timeout, Is.EqualTo(InstanceConfigReader.Timeout.DefaultValue));
            Assert.That(instance.RuleTags, Is.EqualTo(InstanceConfigReader.RuleTags.Default));
            Assert.That(instance.OpenMetricsStrict, Is.EqualTo(InstanceConfigReader.OpenMetricsStrict.DefaultValue));
        });
    }

    [Test]
    public void Unknown_setting_suggestions_come_from_the_table()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, Instance("max_rule: 3"));

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[] { "conf.yaml:3:5: instances[0].max_rule: unknown setting 'max_rule'; did you mean 'max_rules'?" }));
    }

    /// <summary>The errors of a file that holds <paramref name="lines"/> where section <paramref name="section"/> sits.</summary>
    private static string[] Load(TempDir dir, string section, IReadOnlyList<string> lines)
    {
        string Lines(int indent) => string.Concat(lines.Select(l => new string(' ', indent) + l + "\n"));
        const string Endpoint = "instances:\n  - openmetrics_endpoint: http://localhost:8765/metrics\n";
        (string? Agent, string? Check) files = section switch
        {
            "init_config" => (null, "init_config:\n" + Lines(2) + Endpoint),
            "instances" => (null, "instances:\n  -" + Lines(4)[3..]),
            "metric_patterns" => (null, Endpoint + "    metric_patterns:\n" + Lines(6)),
            "conf.yaml" => (null, Lines(0) + (lines.Any(l => l.StartsWith("instances:", StringComparison.Ordinal)) ? string.Empty : Endpoint)),
            "logs" => (null, Endpoint + "logs:\n  -" + Lines(4)[3..]),
            "auth_token" => (null, Endpoint + "    auth_token:\n" + Lines(6)),
            "auth_token.reader" => (null, Endpoint + "    auth_token:\n      writer: {type: header, name: Authorization}\n      reader:\n" + Lines(8)),
            "auth_token.writer" => (null, Endpoint + "    auth_token:\n      reader: {type: file, path: /t}\n      writer:\n" + Lines(8)),
            "extra_metrics.definition" => (null, Endpoint + "    extra_metrics:\n      - raw_name:\n" + Lines(10)),
            "agent" => (Lines(0), null),
            "status" or "kubernetes" or "proxy" or "alerts" => (section + ":\n" + Lines(2), null),
            "alerts.http" => ("alerts:\n  http:\n" + Lines(4), null),
            "alerts.sinks.routing" => ("alerts:\n  sinks:\n    - type: console\n" + Lines(6), null),
            _ when section.StartsWith("alerts.sinks.", StringComparison.Ordinal) => ("alerts:\n  sinks:\n    -" + Lines(6)[5..], null),
            _ => ("sinks:\n  -" + Lines(4)[3..], null),
        };
        if (files.Check is { } check)
        {
            return Render(LoadCheck(dir, check, ExampleEnv).Errors, dir);
        }

        try
        {
            ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", files.Agent!), ExampleEnv);
            return [];
        }
        catch (ConfigException e)
        {
            return Render(e.Errors, dir);
        }
    }
}
