using System.Text;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// <c>ENC[handle]</c> in a pod's Autodiscovery annotation or in auto_conf.yaml is resolved by the agent's secret
/// backend, as the Datadog Agent does: the endpoint receives the secret, logs and status never show it, and the
/// backend is not run again for a handle it already answered.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DiscoveredSecretTests
{
    private const string Secret = "pa55-from-the-vault";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>A backend speaking the Agent's protocol; each run appends its request to calls.log beside it.</summary>
    private static string Backend(string folder)
    {
        string path = Path.Combine(folder, "backend.sh");
        File.WriteAllText(path, $$$"""
            #!/bin/sh
            request=$(cat)
            printf '%s\n' "$request" >> "$(dirname "$0")/calls.log"
            printf '{"db":{"value":"{{{Secret}}}","error":null}}'

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static Dictionary<string, string> Annotation(int port) => new()
    {
        ["ad.datadoghq.com/falco.checks"] = $$$"""{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:{{{port}}}/metrics", "username": "falco", "password": "ENC[db]"}]}}""",
    };

    private static TestHttpServer FalcoEndpoint() => new(context =>
        TestHttpServer.WriteAsync(context, "falcosecurity_falco_host_num_cpus_total 4\n"u8.ToArray()));

    /// <summary>conf.d's own instance scrapes <paramref name="confd"/>, so the pod's endpoint sees only the pod's requests.</summary>
    private static TestConfig Config(StandInKubernetesApi api, TestHttpServer confd, bool backend)
    {
        var config = api.DaemonConfig(confd.Url);
        if (backend)
        {
            File.AppendAllText(config.AgentPath, "secret_backend_command: " + Backend(config.Folder) + "\n");
        }

        return config;
    }

    [Test]
    public async Task An_annotation_password_written_ENC_reaches_the_endpoint_and_nothing_else()
    {
        await using var server = FalcoEndpoint();
        await using var confd = FalcoEndpoint();
        await using var api = new StandInKubernetesApi();
        using var config = Config(api, confd, backend: true);
        var pod = FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", server.Port, annotations: Annotation(server.Port));
        api.Add(pod);
        using var provider = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));

        await using var daemon = await DaemonHarness.StartAsync(config, loggers: loggers);
        InstanceLoop? Loop() => daemon.Daemon.Loops.SingleOrDefault(l => l.Settings.Name == server.Url);
        await Eventually.WaitAsync(() => Loop() is { Report.NextRun: not null }, "the pod's loop starts; " + string.Join("; ", daemon.Daemon.Kubernetes?.Errors ?? []));
        await daemon.AdvanceAsync(Interval, (Loop()!.Settings.Index, 1));

        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("falco:" + Secret));
        Assert.That(server.LastHeaders?["Authorization"], Is.EqualTo(expected), "the endpoint receives the secret, not ENC[db]");

        // The pod changes (a new label): it is read again, the handle answered before is not fetched again.
        var before = Loop()!.Settings;
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "falco", ["team"] = "blue" };
        api.Modify(FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", server.Port, annotations: Annotation(server.Port), labels: labels));
        await Eventually.WaitAsync(() => Loop() is { } loop && !ReferenceEquals(loop.Settings, before), "the changed pod is read again");
        Assert.That(File.ReadAllLines(Path.Combine(config.Folder, "calls.log")), Has.Length.EqualTo(1), "one backend run for the handle");

        var status = new StringWriter();
        StatusText.Write(daemon.Daemon.Report(), status);
        await daemon.StopAsync();
        string everything = string.Join("\n", provider.Logger.Lines) + status + daemon.Console;
        Assert.That(everything, Does.Not.Contain(Secret).And.Not.Contain(expected["Basic ".Length..]));
    }

    [Test]
    public async Task ENC_in_auto_conf_yaml_without_a_backend_is_an_error_naming_what_is_missing()
    {
        await using var server = FalcoEndpoint();
        await using var confd = FalcoEndpoint();
        await using var api = new StandInKubernetesApi();
        using var config = Config(api, confd, backend: false);
        File.WriteAllText(Path.Combine(config.Folder, "conf.d", "falco.d", "auto_conf.yaml"),
            "instances:\n  - openmetrics_endpoint: \"http://%%host%%:%%port_metrics%%/metrics\"\n    username: falco\n    password: ENC[db]\n");
        api.Add(FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", server.Port));

        await using var daemon = await DaemonHarness.StartAsync(config);

        await Eventually.WaitAsync(() => daemon.Daemon.Kubernetes?.Errors.Count > 0, "the pod's error is reported");
        Assert.That(daemon.Daemon.Kubernetes!.Errors.Single(), Does.Contain(":4:15: instances[0].password: ENC[db] needs secret_backend_command"));
        Assert.That(daemon.Daemon.Loops.Select(l => l.Settings.Name), Is.EqualTo(new[] { confd.Url }), "the pod's instance is left out, not sent ENC[db] literally");
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public RecordingLogger Logger { get; } = new();

        public ILogger CreateLogger(string categoryName) => Logger;

        public void Dispose()
        {
        }
    }
}
