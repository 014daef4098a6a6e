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
    };

    private static IEnumerable<TestCaseData> InstanceOptions() =>
        InstanceConfigReader.Section.Options.Where(o => !o.Required).Select(o => new TestCaseData(o).SetArgDisplayNames(o.Name));

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

    [TestCaseSource(nameof(InstanceOptions))]
    public void Instance_example_loads(ConfigOption option)
    {
        using var dir = new TempDir();
        var lines = OptionDocs.ExampleLines(option).ToList();
        if (Companions.TryGetValue(option.Name, out string? companion))
        {
            lines.Add(companion);
        }

        var config = LoadCheck(dir, Instance([.. lines]), Env(("FALCO_PASSWORD", "pw")));

        Assert.That(Render(config.Errors, dir), Is.Empty);
        Assert.That(config.Instances, Has.Count.EqualTo(1));
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
}
