using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Deploy.DeployFiles;

namespace FalcoCheck.Tests.Deploy;

/// <summary>
/// samples/deploy/docker/Dockerfile, checked without building it (the base images come from a registry this
/// machine does not reach): it publishes NativeAOT, runs as non-root from exec-form instructions, copies files that
/// exist, and the configuration it bakes in loads with the environment it sets.
/// </summary>
internal sealed class DockerfileTests
{
    private static List<(string Instruction, string Arguments)> Instructions()
    {
        var instructions = new List<(string, string)>();
        var pending = string.Empty;
        foreach (var raw in File.ReadLines(Path.Combine(Docker, "Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            pending += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                var space = pending.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add((pending[..space].ToUpperInvariant(), pending[(space + 1)..].Trim()));
                pending = string.Empty;
            }
        }

        return instructions;
    }

    [Test]
    public void Builds_NativeAOT_and_runs_it_as_non_root_on_a_distroless_base()
    {
        var instructions = Instructions();
        var stages = instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();
        var final = instructions.SkipWhile(i => i.Arguments != stages[^1]).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(stages, Has.Count.EqualTo(2));
            Assert.That(stages[^1], Does.Contain("runtime-deps").And.Contain("chiseled"), "the runtime stage has no .NET runtime: the binary is native");
            Assert.That(instructions.Where(i => i.Instruction == "RUN").Select(i => i.Arguments), Has.Some.Contains("dotnet publish").And.Some.Contains("-p:PublishAot=true"));
            var user = final.Single(i => i.Instruction == "USER").Arguments;
            Assert.That(user.Split(':')[0], Is.Not.EqualTo("0").And.Not.EqualTo("root"));
            Assert.That(() => JsonDocument.Parse(final.Single(i => i.Instruction == "ENTRYPOINT").Arguments), Throws.Nothing, "exec form: signals reach falcocheck, not a shell");
            Assert.That(() => JsonDocument.Parse(final.Single(i => i.Instruction == "CMD").Arguments), Throws.Nothing);
        });
    }

    [Test]
    public void Copies_only_files_that_exist()
    {
        foreach (var (_, arguments) in Instructions().Where(i => i.Instruction == "COPY" && !i.Arguments.Contains("--from", StringComparison.Ordinal)))
        {
            var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (var source in parts.Take(parts.Count - 1))
            {
                var path = Path.Combine(RepoPaths.Root, source);
                Assert.That(File.Exists(path) || Directory.Exists(path), Is.True, $"COPY {source}: not in the repository");
            }
        }
    }

    [Test]
    public void The_baked_in_configuration_loads_with_the_image_environment()
    {
        var instructions = Instructions();
        var environment = instructions.Where(i => i.Instruction == "ENV")
            .Select(i => i.Arguments.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        var cmd = JsonSerializer.Deserialize<string[]>(instructions.Last(i => i.Instruction == "CMD").Arguments)!;
        var configPath = cmd[Array.IndexOf(cmd, "--config") + 1];
        var copies = instructions.Where(i => i.Instruction == "COPY" && !i.Arguments.Contains("--from", StringComparison.Ordinal))
            .Select(i => i.Arguments.Split(' '))
            .Where(p => p[^1].StartsWith("/etc/", StringComparison.Ordinal))
            .ToDictionary(p => p[^1], p => p[0], StringComparer.Ordinal);
        using var dir = new TempDir();
        var agentFile = dir.Write("falcocheck.yaml", File.ReadAllText(Path.Combine(RepoPaths.Root, copies[configPath])));
        string? Env(string name) => environment.GetValueOrDefault(name);

        var agent = ConfigLoader.LoadAgent(agentFile, Env);
        var checkDestination = copies.Keys.Single(k => k.EndsWith("/conf.d/", StringComparison.Ordinal));
        Assert.That(agent.ConfdPath + "/", Is.EqualTo(checkDestination), "conf.d is copied where confd_path points");
        var check = ConfigLoader.LoadCheck(Path.Combine(RepoPaths.Root, copies[checkDestination], "falco.d", "conf.yaml"), Env);

        Assert.That(check.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(check.Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo(environment["FALCO_METRICS_URL"]));
        var volume = JsonSerializer.Deserialize<string[]>(instructions.Single(i => i.Instruction == "VOLUME").Arguments)!;
        Assert.That(volume, Is.EqualTo(new[] { agent.StateDir }), "state_dir is the image's volume");
    }
}
