using System.Text.Json;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Bench;

/// <summary>The `bench` command as run_peers.sh starts it: `falcocheck bench --warmup N PAYLOAD ITERATIONS`.</summary>
internal sealed class BenchCommandTests
{
    [Test]
    public async Task The_peer_contract_prints_one_json_line_named_after_the_file()
    {
        using var folder = new TempDir();
        var payload = Path.Combine(folder.Path, "datadog.prom");
        File.Copy(RepoPaths.DatadogFixture, payload);

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("bench", "--warmup", "1", "--stage", "pipeline", payload, "2");

        Assert.That(exit, Is.Zero, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        Assert.That(json.RootElement.GetProperty("payload").GetString(), Is.EqualTo("datadog"));
        Assert.That(json.RootElement.GetProperty("stage").GetString(), Is.EqualTo("pipeline"));
        Assert.That(json.RootElement.GetProperty("bytes").GetInt64(), Is.EqualTo(new FileInfo(payload).Length));
    }

    [Test]
    public async Task A_missing_payload_is_an_error_line_and_a_non_zero_exit()
    {
        using var folder = new TempDir();

        var (exit, output, _) = await FalcoCheckProcess.RunAsync("bench", Path.Combine(folder.Path, "none.prom"), "1");

        Assert.That(exit, Is.EqualTo(2));
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("payload").GetString(), Is.EqualTo("none"));
        Assert.That(json.RootElement.TryGetProperty("error", out _), Is.True);
    }

    [TestCase("--stage", "compile", TestName = "an unknown stage is refused")]
    [TestCase("--warmup", "-1", TestName = "a negative warm-up is refused")]
    public async Task Bad_options_are_refused(string option, string value)
    {
        var (exit, _, errors) = await FalcoCheckProcess.RunAsync("bench", option, value, RepoPaths.DatadogFixture, "1");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(errors, Does.Contain(option == "--stage" ? "compile" : "--warmup"));
    }

    [Test]
    public async Task Generate_writes_the_seeded_payloads_it_is_asked_for()
    {
        using var folder = new TempDir();

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("bench", "generate", "--out", folder.Path, "typical");

        Assert.That(exit, Is.Zero, errors);
        Assert.That(output, Does.Contain("122 series"));
        Assert.That(File.ReadAllBytes(Path.Combine(folder.Path, "typical.prom")), Is.EqualTo(FalcoCheck.Bench.PayloadGenerator.Render(FalcoCheck.Bench.PayloadProfile.Typical)));
    }
}
