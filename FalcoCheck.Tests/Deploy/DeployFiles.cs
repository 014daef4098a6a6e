using FalcoCheck.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Tests.Deploy;

/// <summary>Paths of samples/deploy and small YAML helpers for the manifests.</summary>
internal static class DeployFiles
{
    public static string Root => Path.Combine(RepoPaths.Root, "samples", "deploy");

    public static string Kubernetes => Path.Combine(Root, "kubernetes");

    public static string Systemd => Path.Combine(Root, "systemd");

    public static string Docker => Path.Combine(Root, "docker");

    /// <summary>Every document of every YAML file in <paramref name="folder"/>.</summary>
    public static List<YamlMappingNode> Documents(string folder)
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            documents.AddRange(stream.Documents.Select(d => (YamlMappingNode)d.RootNode));
        }

        return documents;
    }

    /// <summary>The node at a dotted path (<c>spec.template.spec</c>), or null.</summary>
    public static YamlNode? At(YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var key in path.Split('.'))
        {
            current = current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return current;
    }

    public static string? Text(YamlNode node, string path) => (At(node, path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlMappingNode> Items(YamlNode node, string path) =>
        (At(node, path) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];
}
