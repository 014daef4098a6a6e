using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Cli;

/// <summary>
/// <c>validate --kubernetes</c>: one list through the API, each Falco pod with its endpoints, each bad annotation as
/// an error naming the pod. Exit 2 for errors (as for the files), 1 when the API cannot be read.
/// </summary>
internal static class KubernetesPods
{
    /// <summary>
    /// With <c>kubernetes.enabled</c>, auto_conf.yaml is read as the daemon reads it (no API needed): its errors with
    /// file:line:column, exit 2 for any. Without the file the built-in template is used, which has none.
    /// </summary>
    public static int ValidateTemplate(AgentConfig agent, TextWriter output, TextWriter errors)
    {
        string path = ConfigLoader.AutoConfPath(agent);
        if (agent.Kubernetes is not { Enabled: true } config || !File.Exists(path))
        {
            return CheckRunner.ExitOk;
        }

        IReadOnlyList<string> found;
        try
        {
            PodInstances.Load(config, path, Environment.GetEnvironmentVariable, secrets: null, out found);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            found = [$"{path}: cannot read: {e.Message}"];
        }

        foreach (var error in found)
        {
            errors.WriteLine(error);
        }

        output.WriteLine(found.Count == 0 ? $"{path}: ok" : $"{path}: {found.Count} error(s)");
        return found.Count == 0 ? CheckRunner.ExitOk : CheckRunner.ExitConfigError;
    }

    public static async Task<int> ValidateAsync(AgentConfig agent, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (agent.Kubernetes is not { Enabled: true } config)
        {
            await errors.WriteLineAsync($"{agent.SourceFile}: kubernetes.enabled is not true; nothing to discover").ConfigureAwait(false);
            return CheckRunner.ExitConfigError;
        }

        try
        {
            // The template's own errors were listed by ValidateTemplate; the pods' follow.
            var reader = PodInstances.Load(config, ConfigLoader.AutoConfPath(agent), Environment.GetEnvironmentVariable, agent.SecretBackend, out _);
            await using var discovery = new KubernetesDiscovery(reader, _ => Task.CompletedTask, NullLogger.Instance, TimeProvider.System);
            var (listed, pods) = await discovery.ListOnceAsync(cancellationToken).ConfigureAwait(false);
            int failed = 0;
            foreach (var pod in pods)
            {
                await output.WriteLineAsync($"  {pod.Name} ({pod.Source}): {string.Join(", ", pod.Instances.Select(i => i.Name).DefaultIfEmpty("no instance"))}").ConfigureAwait(false);
                foreach (var error in pod.Errors)
                {
                    failed++;
                    await errors.WriteLineAsync(error).ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync($"kubernetes {discovery.Api}{KubernetesConnection.Through(discovery.Proxy)} {discovery.Scope}: {listed} pod(s) listed, {pods.Count} Falco pod(s) ready, {failed} error(s)").ConfigureAwait(false);
            return failed == 0 ? CheckRunner.ExitOk : CheckRunner.ExitConfigError;
        }
        catch (Exception e) when (e is HttpRequestException or KubernetesApiException or KubernetesConnectionException
            or System.Text.Json.JsonException or IOException or UnauthorizedAccessException
            or InvalidOperationException or FormatException or (OperationCanceledException and not TaskCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            await errors.WriteLineAsync($"kubernetes: {KubernetesDiscovery.Describe(e)}").ConfigureAwait(false);
            return CheckRunner.ExitCritical;
        }
    }
}
