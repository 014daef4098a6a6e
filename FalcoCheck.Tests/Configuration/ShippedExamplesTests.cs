using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// The example files we ship must load, and they and the README must say what the option tables declare
/// (CONVENTIONS 16): same options in the same order, same types and defaults, same examples.
/// </summary>
internal sealed partial class ShippedExamplesTests
{
    private static string CheckExample => Path.Combine(RepoRoot(), "conf.d", "falco.d", "conf.yaml.example");

    private static string AgentExample => Path.Combine(RepoRoot(), "samples", "falcocheck.yaml");

    private static string Readme => Path.Combine(RepoRoot(), "README.md");

    /// <summary>The README's option tables: the heading above each, and the section it shows.</summary>
    private static IEnumerable<TestCaseData> ReadmeTables()
    {
        yield return new TestCaseData("### Options of falcocheck.yaml", OptionDocs.Markdown(AgentConfigReader.Section)).SetArgDisplayNames("agent");
        yield return new TestCaseData("## Instance options", OptionDocs.Markdown(InstanceConfigReader.Section)).SetArgDisplayNames("instances");
        yield return new TestCaseData("### Settings of the daemon (falcocheck.yaml)",
            OptionDocs.Markdown(DaemonConfigReader.Section) + OptionDocs.Rows(DaemonConfigReader.StatusSection, "status.")).SetArgDisplayNames("daemon");
        yield return new TestCaseData("## Kubernetes discovery", OptionDocs.Markdown(KubernetesConfigReader.Section)).SetArgDisplayNames("kubernetes");
    }

    [Test]
    public void Check_example_loads_cleanly()
    {
        var config = ConfigLoader.LoadCheck(CheckExample, NoEnv);

        Assert.That(config.Errors, Is.Empty, () => string.Join(Environment.NewLine, config.Errors));
        Assert.Multiple(() =>
        {
            Assert.That(config.DeclaredInstanceCount, Is.EqualTo(1));
            Assert.That(config.Instances.Single().OpenMetricsEndpoint, Is.EqualTo(new Uri("http://localhost:8765/metrics")));
            Assert.That(config.Init, Is.EqualTo(InitConfig.Default));
        });
    }

    [Test]
    public void Agent_example_loads_cleanly()
    {
        var agent = ConfigLoader.LoadAgent(AgentExample, NoEnv);
        string samples = Path.GetDirectoryName(AgentExample)!;

        Assert.Multiple(() =>
        {
            Assert.That(agent.Hostname, Is.EqualTo("falco-demo-host"));
            Assert.That(agent.Tags, Is.EqualTo(new[] { "env:demo", "team:security" }));
            Assert.That(agent.StateDir, Is.EqualTo(Path.Combine(samples, "state")));
            Assert.That(agent.Sinks.Select(s => s.Type), Is.EqualTo(new[] { "console", "file" }));
            Assert.That(((FileSinkConfig)agent.Sinks[1]).Path, Is.EqualTo(Path.Combine(samples, "out", "falco-metrics.jsonl")));
            Assert.That(ConfigLoader.CheckConfigPath(agent), Is.EqualTo(Path.Combine(RepoRoot(), "conf.d", "falco.d", "conf.yaml")));
        });
    }

    [Test]
    public void Check_example_documents_exactly_the_option_tables()
    {
        Assert.That(CheckExampleDrift(File.ReadAllText(CheckExample)), Is.Empty);
    }

    [TestCase("## @param max_rules - integer - optional - default: 500", "## @param max_rules - integer - optional - default: 600", TestName = "a changed default")]
    [TestCase("## @param use_latest_spec", "## (removed)", TestName = "a dropped option")]
    [TestCase("# rule_tags: fold", "# rule_tags: drop", TestName = "a changed example")]
    [TestCase("    ## @param tags - list of strings - optional", "    ## @param tagz - list of strings - optional", TestName = "a renamed option")]
    public void Check_example_drift_is_found(string from, string to)
    {
        string text = File.ReadAllText(CheckExample);
        Assume.That(text, Does.Contain(from));

        Assert.That(CheckExampleDrift(text.Replace(from, to, StringComparison.Ordinal)), Is.Not.Empty);
    }

    [TestCaseSource(nameof(ReadmeTables))]
    public void Readme_table_is_the_option_table(string heading, string table)
    {
        Assert.That(ReadmeTable(File.ReadAllText(Readme), heading), Is.EqualTo(table), "regenerate with: falcocheck config example SECTION --markdown");
    }

    /// <summary>The sinks' shared table names options of several types per row: each must be declared, and each declared one named.</summary>
    [Test]
    public void Readme_sink_table_names_exactly_the_declared_options()
    {
        string[] lines = File.ReadAllText(Readme).Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("| option | sinks |", StringComparison.Ordinal));
        var named = lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .SelectMany(l => l.Split('|')[1].Split(',').Select(n => n.Trim().Trim('`'))).ToHashSet(StringComparer.Ordinal);
        var declared = SinkConfigReader.Types.SelectMany(t => t.Options).Select(o => o.Name).Where(n => n is not ("type" or "format" or "path"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.That(start, Is.GreaterThan(0));
        Assert.That(named, Is.EquivalentTo(declared));
    }

    /// <summary>
    /// samples/falcocheck.yaml shows every agent option (written or commented out) in the table's order, and the
    /// "Default: …" its comments give is the table's.
    /// </summary>
    [Test]
    public void Agent_example_shows_the_option_table()
    {
        Assert.That(AgentExampleDrift(File.ReadAllText(AgentExample)), Is.Empty);
    }

    [TestCase("Default: 60.", "Default: 90.", TestName = "a changed default in the agent example")]
    [TestCase("shutdown_timeout: 30", "shutdown_timout: 30", TestName = "a misspelt agent option")]
    public void Agent_example_drift_is_found(string from, string to)
    {
        string text = File.ReadAllText(AgentExample);
        Assume.That(text, Does.Contain(from));

        Assert.That(AgentExampleDrift(text.Replace(from, to, StringComparison.Ordinal)), Is.Not.Empty);
    }

    private static List<string> AgentExampleDrift(string text)
    {
        var drift = new List<string>();
        var shown = new List<string>();
        var comment = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("##", StringComparison.Ordinal))
            {
                comment.Add(line.TrimStart('#').Trim());
                continue;
            }

            if (TopLevelKey().Match(line) is { Success: true } key)
            {
                string name = key.Groups[1].Value;
                shown.Add(name);
                string comments = string.Join(" ", comment);
                int at = comments.LastIndexOf("Default: ", StringComparison.Ordinal);
                if (AgentConfigReader.Section.Find(name) is not { } option)
                {
                    drift.Add($"'{name}' is not an agent option");
                }
                else if (at >= 0 && comments[(at + "Default: ".Length)..].TrimEnd('.') != option.DefaultText.Replace("`", string.Empty, StringComparison.Ordinal))
                {
                    drift.Add($"{name}: the example says '{comments[at..]}', the table '{option.DefaultText}'");
                }
            }

            comment.Clear();
        }

        var declared = AgentConfigReader.Section.Options.Select(o => o.Name).ToList();
        if (!shown.Distinct().SequenceEqual(declared))
        {
            drift.Add($"options shown: {string.Join(", ", shown.Distinct())}; declared: {string.Join(", ", declared)}");
        }

        return drift;
    }

    [GeneratedRegex(@"^(?:# )?([a-z_]+):(?: |$)")]
    private static partial Regex TopLevelKey();

    [Test]
    public void Readme_drift_is_found()
    {
        string text = File.ReadAllText(Readme).Replace("| `max_rules` | 500 |", "| `max_rules` | 400 |", StringComparison.Ordinal);

        Assert.That(ReadmeTable(text, "## Instance options"), Is.Not.EqualTo(OptionDocs.Markdown(InstanceConfigReader.Section)));
    }

    /// <summary>
    /// Every difference between conf.yaml.example and the init_config and instances tables: the <c>@param</c> lines
    /// (name, type, required, default) in order, and each option's example lines.
    /// </summary>
    private static List<string> CheckExampleDrift(string text)
    {
        var drift = new List<string>();
        var blocks = ParamBlocks(text);
        foreach (OptionSection section in new[] { InitConfigReader.Section, InstanceConfigReader.Section })
        {
            var written = blocks.GetValueOrDefault(section.Name) ?? [];
            var declared = section.Options.Select(o => (Param: OptionDocs.ParamLine(o), Example: OptionDocs.ExampleLines(o).Select(Bare).ToList())).ToList();
            for (int i = 0; i < Math.Max(written.Count, declared.Count); i++)
            {
                if (i >= written.Count || i >= declared.Count || written[i].Param != declared[i].Param)
                {
                    drift.Add($"{section.Name}: option {i}: file has '{(i < written.Count ? written[i].Param : "nothing")}', table says '{(i < declared.Count ? declared[i].Param : "nothing")}'");
                    break;
                }

                if (!written[i].Example.SequenceEqual(declared[i].Example))
                {
                    drift.Add($"{section.Name}: {declared[i].Param}: example '{string.Join(" / ", written[i].Example)}', table says '{string.Join(" / ", declared[i].Example)}'");
                }
            }
        }

        return drift;
    }

    /// <summary>The <c>## @param</c> blocks under each top-level key: the @param line and the example lines after the doc.</summary>
    private static Dictionary<string, List<(string Param, List<string> Example)>> ParamBlocks(string text)
    {
        var result = new Dictionary<string, List<(string, List<string>)>>(StringComparer.Ordinal);
        List<(string Param, List<string> Example)>? current = null;
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (line.Length > 0 && char.IsAsciiLetter(line[0]) && line.EndsWith(':'))
            {
                current = result[line[..^1]] = [];
            }
            else if (trimmed.StartsWith("## @param ", StringComparison.Ordinal))
            {
                current?.Add((trimmed, []));
            }
            else if (current is { Count: > 0 } && trimmed.Length > 0 && !trimmed.StartsWith("##", StringComparison.Ordinal) && trimmed != "#")
            {
                current[^1].Example.Add(Bare(trimmed));
            }
        }

        return result;
    }

    /// <summary>An example line without indentation, comment mark or list dash: what it says, not where.</summary>
    private static string Bare(string line)
    {
        string text = line.Trim().TrimStart('#').Trim();
        return text.StartsWith("- ", StringComparison.Ordinal) && text.Contains(": ", StringComparison.Ordinal) && !text.StartsWith("- <", StringComparison.Ordinal) ? text[2..] : text;
    }

    /// <summary>The table under <paramref name="heading"/>: its lines from the header row to the first line that is not a row.</summary>
    private static string ReadmeTable(string readme, string heading)
    {
        string[] lines = readme.Split('\n');
        int at = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        int start = Array.FindIndex(lines, Math.Max(at, 0), l => l.StartsWith("| option |", StringComparison.Ordinal));
        if (at < 0 || start < 0)
        {
            return string.Empty;
        }

        var table = lines.Skip(start).TakeWhile(l => l.StartsWith('|'));
        return string.Concat(table.Select(l => l + "\n"));
    }
}
