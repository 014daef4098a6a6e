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
    }

    [TestCaseSource(nameof(ConfigFindings))]
    public void A_fuzzed_config_is_an_error_with_a_position_not_an_exception(byte[] yaml)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "conf.yaml");
        System.IO.File.WriteAllBytes(path, yaml);

        CheckConfig? check = null;
        Assert.DoesNotThrow(() => check = ConfigLoader.LoadCheck(path, _ => null));
        var agent = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, _ => null, []));

        Assert.That(check!.Errors.Select(e => e.Message), Has.Some.StartsWith("invalid YAML"));
        Assert.That(check.Errors.All(e => e.Position.Line >= 1 && e.Position.Column >= 1), Is.True);
        Assert.That(agent!.Errors, Is.Not.Empty);
    }

    private static TestCaseData File(string name) =>
        new(System.IO.File.ReadAllBytes(Path.Combine(RepoPaths.Root, "FalcoCheck.Tests", "Hardening", "FuzzFindings", name)));

    private static TestCaseData Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
