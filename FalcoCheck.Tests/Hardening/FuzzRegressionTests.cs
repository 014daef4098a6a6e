using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Every crash, hang or unexpected exception found by fuzzing (fuzz/run.sh), kept as a case: the input as AFL
/// found it (FuzzFindings/) and reduced by hand to the line that matters. Each failed before its fix.
/// </summary>
internal sealed class FuzzRegressionTests
{
    private static IEnumerable<TestCaseData> Findings()
    {
        // AFL++, text target, first minute of the first campaign: a name starting like 0.38's per-category drop
        // counters but not ending in "_total" made FalcoSeriesNormalizer slice with a negative length.
        yield return File("text-drops-buffer-slice.prom").SetName("AFL: n_drops_buffer name without _total (as found)");
        yield return Text("falcosecurity_scap_n_drops_buffer_x 1\n").SetName("n_drops_buffer name without _total (reduced)");
        yield return Text("falcosecurity_falco_n_drops_buffer_tot 1\n").SetName("0.38 n_drops_buffer prefix overlapping _total");

        // The same shape in the sibling rule, found reading the code around the first finding: "…_file_" and
        // "_info" overlap in "…_file_info".
        yield return Text("falcosecurity_falco_falco_sha256_rules_file_info 1\n").SetName("sha256 rules file_info overlap");
        yield return Text("falcosecurity_falco_falco_sha256_config_file_info{x=\"y\"} 1\n").SetName("sha256 config file_info overlap");
    }

    [TestCaseSource(nameof(Findings))]
    public void A_fuzz_finding_reads_without_an_exception(byte[] body)
    {
        Assert.DoesNotThrow(() => HostileBody.ReadEverywhere(body));
    }

    [Test]
    public void Names_that_only_look_like_old_Falco_series_pass_through_unchanged()
    {
        var mapper = new FalcoMapper(new MappingOptions { ExtraMetrics = [new ExtraMetricRule(MappingOptions.CompilePattern(".*"), null, null)] });

        mapper.Map("falcosecurity_scap_n_drops_buffer_x 1\nfalcosecurity_falco_falco_sha256_rules_file_info 2\n"u8, TextFormat.Prometheus);

        Assert.That(mapper.Facts.InvalidLines, Is.Zero);
        Assert.That(mapper.Facts.SeriesScraped, Is.EqualTo(2));
    }

    private static IEnumerable<TestCaseData> ConfigFindings()
    {
        // AFL++, config target, first seconds of the first campaign: YamlDotNet 18.1 throws ArgumentException
        // ("The current event is of an unsupported type") for a key that is only blank.
        yield return File("config-blank-key.yaml").SetName("AFL: blank mapping key (as found)");
        yield return Text(" : N").SetName("blank mapping key (reduced)");
        yield return Text("- : x\n").SetName("blank mapping key in a sequence");

        // AFL++, config target, second campaign after 15 minutes: a stack overflow (which no catch can stop) in
        // YamlDotNet's forward alias resolution. Reduced by delta debugging to two lines.
        yield return File("config-forward-alias-key.yaml").SetName("AFL: alias key before its anchor, stack overflow (as found)");
        yield return Text("  - {*a}\n  - &a").SetName("alias key before its anchor (reduced)");

        // Found reading YamlDotNet's loader around that finding: the same crash by depth, and a hang by hashing.
        yield return Text(new string('[', 50_000)).SetName("50,000 nested flow sequences (stack overflow)");
        yield return Text("a: " + new string('{', 20_000) + new string('}', 20_000) + "\n").SetName("20,000 nested flow mappings (stack overflow)");
        yield return Text(BillionLaughsKey()).SetName("alias to 2^40 shared nodes as a mapping key (hang)");
        yield return Text("x: &a {k: *a}\n").SetName("alias inside the node it refers to");
        yield return Text("&a {*a : 1}\n").SetName("mapping whose key is itself");
    }

    [TestCaseSource(nameof(ConfigFindings))]
    public async Task A_fuzzed_config_is_an_error_with_a_position_not_an_exception(byte[] yaml)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "conf.yaml");
        System.IO.File.WriteAllBytes(path, yaml);

        // A generous bound that only a hang (the billion-laughs key took hours) can exceed; it is not a timing test.
        var load = Task.Run(() => ConfigLoader.LoadCheck(path, _ => null));
        var finished = await Task.WhenAny(load, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.That(finished, Is.SameAs(load), "LoadCheck hangs");
        var check = await load;
        var agent = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, _ => null, []));

        Assert.That(check.Errors, Is.Not.Empty);
        Assert.That(check.Errors.All(e => e.Position.Line >= 1 && e.Position.Column >= 1), Is.True);
        Assert.That(agent!.Errors, Is.Not.Empty);
    }

    private static string BillionLaughsKey()
    {
        var text = new System.Text.StringBuilder("a0: &a0 [x, x]\n");
        for (var i = 1; i < 40; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }

        return text.Append("k: {*a39 : 1}\n").ToString();
    }

    private static TestCaseData File(string name) =>
        new(System.IO.File.ReadAllBytes(Path.Combine(RepoPaths.Root, "FalcoCheck.Tests", "Hardening", "FuzzFindings", name)));

    private static TestCaseData Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
