using FalcoCheck.Configuration;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Cli;

/// <summary><c>falcocheck config example</c>, run as a user runs it.</summary>
internal sealed class ConfigCommandTests
{
    [Test]
    public async Task Example_prints_the_section_from_the_table()
    {
        var (exit, output, _) = await FalcoCheckProcess.RunAsync("config", "example", "init_config");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0));
            Assert.That(output.ReplaceLineEndings("\n"), Is.EqualTo(OptionDocs.Example(ConfigSectionsFind("init_config"))));
            Assert.That(output, Does.Contain("## @param timeout - number - optional - default: 10"));
        });
    }

    [Test]
    public async Task Markdown_prints_the_readme_table()
    {
        var (exit, output, _) = await FalcoCheckProcess.RunAsync("config", "example", "kubernetes", "--markdown");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0));
            Assert.That(output.ReplaceLineEndings("\n"), Does.Contain(OptionDocs.Markdown(ConfigSectionsFind("kubernetes"))));
        });
    }

    [Test]
    public async Task Unknown_section_suggests_and_fails()
    {
        var (exit, _, errors) = await FalcoCheckProcess.RunAsync("config", "example", "sinks.datadg");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(errors, Does.Contain("unknown section 'sinks.datadg'; did you mean 'sinks.datadog'?"));
        });
    }

    private static OptionSection ConfigSectionsFind(string name) => ConfigSections.Find(name)!;
}
