using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// <c>secret_backend_command</c> with <c>ENC[handle]</c> values, run against real executables (shell scripts)
/// that speak the Datadog Agent's protocol.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SecretBackendTests
{
    private const string ApiKey = "k3y-from-the-vault";
    private const string Password = "pa55-from-the-vault";

    /// <summary>
    /// A backend that checks the request's shape, then answers from a fixed table; unknown handles get an error.
    /// The request is kept beside it so a test can read what was asked.
    /// </summary>
    private static string Backend(TempDir dir, string mode = "0700") => Script(dir, "backend.sh", mode, $$$"""
        #!/bin/sh
        request=$(cat)
        printf '%s' "$request" > "$(dirname "$0")/request.json"
        case "$request" in *'"version":"1.0"'*) ;; *) echo "bad request" >&2; exit 3 ;; esac
        printf '{"api":{"value":"{{{ApiKey}}}","error":null},"db":{"value":"{{{Password}}}","error":null},"gone":{"value":null,"error":"no such secret: gone"}}'
        """);

    private static string Script(TempDir dir, string name, string mode, string body)
    {
        string path = dir.Write(name, body.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        return path;
    }

    private static string Agent(TempDir dir, string command, string extra = "") =>
        dir.Write("falcocheck.yaml", $"secret_backend_command: {command}\napi_key: \"ENC[api]\"\nconfd_path: .\n{extra}");

    [Test]
    public void Values_written_ENC_come_from_the_backend_in_both_files()
    {
        using var dir = new TempDir();
        var agent = ConfigLoader.LoadAgent(Agent(dir, Backend(dir)), NoEnv);
        string check = dir.Write("falco.d/conf.yaml", Instance("username: falco", "password: ENC[db]"));

        var config = ConfigLoader.LoadCheck(check, NoEnv, agent.SecretBackend);

        Assert.Multiple(() =>
        {
            Assert.That(agent.ApiKey?.Reveal(), Is.EqualTo(ApiKey));
            Assert.That(config.Errors, Is.Empty);
            Assert.That(config.Instances.Single().Password?.Reveal(), Is.EqualTo(Password));
            Assert.That(File.ReadAllText(Path.Combine(dir.Path, "request.json")), Is.EqualTo("""{"version":"1.0","secrets":["db"]}"""));
        });
    }

    [Test]
    public void A_handle_the_backend_refuses_is_an_error_at_its_place_and_the_other_instances_load()
    {
        using var dir = new TempDir();
        var agent = ConfigLoader.LoadAgent(Agent(dir, Backend(dir)), NoEnv);
        string check = dir.Write("conf.yaml",
            "instances:\n  - openmetrics_endpoint: http://a:8765/metrics\n    username: u\n    password: ENC[gone]\n"
            + "  - openmetrics_endpoint: http://b:8765/metrics\n    username: u\n    password: ENC[db]\n");

        var config = ConfigLoader.LoadCheck(check, NoEnv, agent.SecretBackend);

        Assert.Multiple(() =>
        {
            Assert.That(Render(config.Errors, dir), Is.EqualTo(new[]
            {
                "conf.yaml:4:15: instances[0].password: ENC[gone] could not be resolved: the secret backend says: no such secret: gone",
            }));
            Assert.That(config.Instances.Select(i => i.OpenMetricsEndpoint.Host), Is.EqualTo(new[] { "b" }));
        });
    }

    [Test]
    public void A_value_from_the_backend_is_taken_as_it_is_never_expanded()
    {
        using var dir = new TempDir();
        string backend = Script(dir, "percent.sh", "0700", """
            #!/bin/sh
            cat > /dev/null
            cat <<'JSON'
            {"db":{"value":"pa%%env_HOME%%55","error":null}}
            JSON
            """);
        var agent = ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", $"secret_backend_command: {backend}\nconfd_path: .\n"), NoEnv);
        string check = dir.Write("falco.d/conf.yaml", Instance("username: falco", "password: ENC[db]"));

        var config = ConfigLoader.LoadCheck(check, name => name == "HOME" ? "/root" : null, agent.SecretBackend);

        Assert.That(config.Errors, Is.Empty);
        Assert.That(config.Instances.Single().Password?.Reveal(), Is.EqualTo("pa%%env_HOME%%55"));
    }

    [Test]
    public void ENC_without_a_backend_says_what_is_missing()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, Instance("username: u", "password: ENC[db]"));

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[]
        {
            "conf.yaml:4:15: instances[0].password: ENC[db] needs secret_backend_command in falcocheck.yaml to be resolved",
        }));
    }

    private static IEnumerable<TestCaseData> BrokenBackends()
    {
        yield return new TestCaseData("0755", "#!/bin/sh\ncat >/dev/null\necho '{}'", "must give no rights to group or others (chmod 700); its mode is 755")
            .SetName("readable by others");
        yield return new TestCaseData("0600", "#!/bin/sh\necho '{}'", "is not executable by its owner (chmod 700)")
            .SetName("not executable");
        yield return new TestCaseData("0700", $"#!/bin/sh\ncat >/dev/null\necho {ApiKey} >&2\nexit 4", "exited with code 4")
            .SetName("failing, with the secret on standard error");
        yield return new TestCaseData("0700", $"#!/bin/sh\ncat >/dev/null\necho 'not json {ApiKey}'", "the secret backend's answer is not valid JSON")
            .SetName("not JSON");
        yield return new TestCaseData("0700", "#!/bin/sh\ncat >/dev/null\nhead -c 5000 /dev/zero | tr '\\0' x", "wrote more than 100 bytes (secret_backend_output_max_size)")
            .SetName("too much output");
        yield return new TestCaseData("0700", "#!/bin/sh\ncat >/dev/null\nexec sleep 30", "did not answer within 0.5 s (secret_backend_timeout)")
            .SetName("too slow");
        yield return new TestCaseData("0700", "#!/bin/sh\ncat >/dev/null\necho '{\"other\":{\"value\":\"x\",\"error\":null}}'", "the secret backend gave no answer for it")
            .SetName("no answer for the handle");
    }

    [TestCaseSource(nameof(BrokenBackends))]
    public void A_broken_backend_is_one_clear_error_per_value_without_the_secret(string mode, string script, string expected)
    {
        using var dir = new TempDir();
        string command = Script(dir, "backend.sh", mode, script);
        string path = Agent(dir, command, "secret_backend_timeout: 0.5\nsecret_backend_output_max_size: 100\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));

        string message = string.Join("\n", e!.Errors.Select(x => x.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(e.Errors, Has.Count.EqualTo(1), message);
            Assert.That(message, Does.Contain("falcocheck.yaml:2:10: api_key: ENC[api] could not be resolved: "));
            Assert.That(message, Does.Contain(expected));
            Assert.That(message, Does.Not.Contain(ApiKey));
        });
    }

    [Test]
    public void The_backend_settings_cannot_use_ENC_nor_stand_without_the_command()
    {
        using var dir = new TempDir();
        string withEnc = dir.Write("a.yaml", "secret_backend_command: \"ENC[cmd]\"\n");
        string orphan = dir.Write("b.yaml", "secret_backend_timeout: 5\n");

        var encError = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(withEnc, NoEnv));
        var orphanError = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(orphan, NoEnv));

        Assert.Multiple(() =>
        {
            Assert.That(encError!.Errors.Select(x => x.Message), Has.Some.EqualTo("ENC[] cannot be used in the secret_backend_* settings"));
            Assert.That(Render(orphanError!.Errors, dir), Is.EqualTo(new[] { "b.yaml:1:25: secret_backend_timeout: secret_backend_command is required when secret_backend_timeout is set" }));
        });
    }

    [Test]
    public void Arguments_are_passed_to_the_backend()
    {
        using var dir = new TempDir();
        string command = Script(dir, "backend.sh", "0700",
            "#!/bin/sh\ncat >/dev/null\nprintf '{\"api\":{\"value\":\"%s-%s\",\"error\":null}}' \"$1\" \"$2\"");

        var agent = ConfigLoader.LoadAgent(Agent(dir, command, "secret_backend_arguments: [prod, eu]\n"), NoEnv);

        Assert.That(agent.ApiKey?.Reveal(), Is.EqualTo("prod-eu"));
    }
}
