using System.Diagnostics;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Tests.Deploy.DeployFiles;

namespace FalcoCheck.Tests.Deploy;

/// <summary>
/// What <c>kubectl apply -k</c> would send: the kustomization rendered by the real <c>kubectl kustomize</c> (Debian's
/// kubernetes-client, which test.sh installs), then held to the same checks as the files themselves.
/// </summary>
internal sealed class KustomizeTests
{
    [Test]
    public async Task Kustomize_renders_the_manifests_and_they_fit_together()
    {
        var (exit, output, errors) = await KustomizeAsync(Kubernetes);
        Assert.That(exit, Is.Zero, errors);

        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var documents = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        Assert.That(documents.Select(d => Text(d, "kind")), Is.EquivalentTo(new[] { "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet" }));
        Assert.That(KubernetesCheck.Problems(documents), Is.Empty);
    }

    [Test]
    public async Task Kustomize_refuses_a_kustomization_naming_a_missing_file()
    {
        var dir = Directory.CreateTempSubdirectory("falcocheck-kustomize-");
        try
        {
            foreach (var file in Directory.GetFiles(Kubernetes, "*.yaml"))
            {
                File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            }

            File.Delete(Path.Combine(dir.FullName, "rbac.yaml"));
            var (exit, _, errors) = await KustomizeAsync(dir.FullName);
            Assert.That(exit, Is.Not.Zero);
            Assert.That(errors, Does.Contain("rbac.yaml"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Output, string Errors)> KustomizeAsync(string folder)
    {
        var binary = new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            Assert.Fail("kubectl is not installed: apt-get install kubernetes-client (test.sh installs it)");
        }

        var start = new ProcessStartInfo(binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
