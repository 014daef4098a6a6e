using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Discovery;

/// <summary><c>falcocheck validate --kubernetes</c> as a process, against the stand-in API.</summary>
public class KubernetesValidateTests
{
    private static TestConfig Config(StandInKubernetesApi api)
    {
        var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n");
        File.AppendAllText(config.AgentPath, $"kubernetes:\n  enabled: true\n  kubeconfig: {api.WriteKubeconfig(config.Folder)}\n  node_name: node-1\n");
        return config;
    }

    [Test]
    public async Task Lists_the_pods_of_the_node_and_reports_bad_annotations_with_exit_2()
    {
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-good", "node-1", "10.0.1.1", 8765));
        api.Add(FalcoPods.Chart("falco-bad", "node-1", "10.0.1.2", 8765, annotations: new Dictionary<string, string>
        {
            ["ad.datadoghq.com/falco.checks"] = """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%hostt%%:8765/metrics"}]}}""",
        }));
        using var config = Config(api);

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("validate", "--kubernetes", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(2), errors);
        Assert.That(output, Does.Contain("falco/falco-good (label app.kubernetes.io/name=falco): http://10.0.1.1:8765/metrics"));
        Assert.That(output, Does.Contain($"kubernetes http://127.0.0.1:{api.Port} on node node-1: 2 pod(s) listed, 2 Falco pod(s) ready, 1 error(s)"));
        Assert.That(errors, Does.Contain("pod falco/falco-bad annotation ad.datadoghq.com/falco.checks:1:51: instances[0].openmetrics_endpoint: unknown template variable '%%hostt%%'"));
    }

    [Test]
    public async Task An_unreachable_API_exits_1_with_the_reason()
    {
        await using var api = new StandInKubernetesApi { Down = true };
        using var config = Config(api);

        var (exit, _, errors) = await FalcoCheckProcess.RunAsync("validate", "--kubernetes", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("kubernetes: the API answered 503 ServiceUnavailable"));
        Assert.That(errors, Does.Not.Contain("stand-in-token"), "the token is never printed");
    }

    [Test]
    public async Task Through_a_proxy_the_output_names_it_and_never_its_password()
    {
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-good", "node-1", "10.0.1.1", 8765));
        await using var proxy = new AuthenticatingProxy("falco", "pr0xy-s3cret");
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n");
        string Run(string password) => File.ReadAllText(api.WriteKubeconfig(config.Folder))
            .Replace($"server: http://127.0.0.1:{api.Port}", $"server: http://kube.example:{api.Port}\n    proxy-url: http://falco:{password}@127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        string kubeconfig = Path.Combine(config.Folder, "proxied-kubeconfig");
        File.AppendAllText(config.AgentPath, $"kubernetes:\n  enabled: true\n  kubeconfig: {kubeconfig}\n  node_name: node-1\n");

        File.WriteAllText(kubeconfig, Run("pr0xy-s3cret"));
        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("validate", "--kubernetes", "--config", config.AgentPath);
        File.WriteAllText(kubeconfig, Run("wr0ng-s3cret"));
        var (refused, refusedOutput, refusedErrors) = await FalcoCheckProcess.RunAsync("validate", "--kubernetes", "--config", config.AgentPath);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), errors);
            Assert.That(output, Does.Contain($"kubernetes http://kube.example:{api.Port} through the proxy http://127.0.0.1:{proxy.Port}/ on node node-1: 1 pod(s) listed"));
            Assert.That(proxy.Passed, Has.Member($"GET http://kube.example:{api.Port}/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=false HTTP/1.1"));
            Assert.That(refused, Is.EqualTo(1));
            Assert.That(refusedErrors, Does.Contain($"kubernetes: the proxy http://127.0.0.1:{proxy.Port}/ answered 407 ProxyAuthenticationRequired"));
            Assert.That(output + errors + refusedOutput + refusedErrors, Does.Not.Contain("s3cret"));
        });
    }
}
