using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Replaces every string written <c>ENC[handle]</c> in a loaded file with its value from the secret backend, in
/// place, before the readers run, so each value is then read and checked as if it had been written in the file.
/// As in the Datadog Agent, the handle must be the whole value. A value that could not be fetched is reported
/// when a reader reads it (<see cref="ConfigReadContext.UnresolvedSecrets"/>), so the instance holding it is left
/// out like any instance with a bad value; messages name the handle, never a secret.
/// </summary>
internal static class SecretReferences
{
    private static readonly TextOption<string> Command = Declare.FilePath("secret_backend_command",
        "executable that resolves `ENC[handle]` values (JSON on stdin/stdout; owned by this user, mode 0700)", "/usr/local/bin/fetch-secrets");
    private static readonly TextOption<IReadOnlyList<string>> Arguments = Declare.StringList("secret_backend_arguments", "its arguments", "[]")
        .Needing(Command.Name);
    private static readonly ValueOption<TimeSpan> Timeout = Declare.Seconds("secret_backend_timeout", SecretBackendConfig.DefaultTimeout.TotalSeconds,
        "seconds the backend may take").Needing(Command.Name);
    private static readonly ValueOption<long> OutputMaxSize = Declare.Bytes("secret_backend_output_max_size", SecretBackendConfig.DefaultOutputMaxSize,
        2, int.MaxValue, "bytes the backend may write").Needing(Command.Name);

    /// <summary>Declared with the agent file's root options; read first, since the backend resolves the file's ENC[] values.</summary>
    public static IReadOnlyList<ConfigOption> Options { get; } = [Command, Arguments, Timeout, OutputMaxSize];

    private const string Prefix = "ENC[";

    /// <summary>Reads the <c>secret_backend_*</c> settings from the agent file's root, or null when there are none.</summary>
    public static SecretBackendConfig? ReadBackend(ConfigMapping root)
    {
        foreach (ConfigOption option in Options)
        {
            if (root.Get(option.Name) is YamlScalarNode { Value: { } text } node && IsReference(text))
            {
                // The Agent's rule too: the backend cannot be used to find itself.
                root.Context.Error(node, option.Name, "ENC[] cannot be used in the secret_backend_* settings");
            }
        }

        return Command.Read(root) is not { } command ? null : new SecretBackendConfig
        {
            Command = command,
            Arguments = Arguments.Read(root) ?? [],
            Timeout = Timeout.Read(root),
            OutputMaxSize = (int)OutputMaxSize.Read(root),
            Position = root.PositionOf(Command.Name),
        };
    }

    /// <summary>
    /// Resolves every <c>ENC[handle]</c> under <paramref name="root"/>; errors go to the context. <paramref name="cache"/>
    /// keeps the answers across calls (each pod read by discovery); a failure is not kept, so it is asked again.
    /// </summary>
    public static void Resolve(ConfigReadContext ctx, YamlNode? root, SecretBackendConfig? backend, Dictionary<string, string>? cache = null)
    {
        var references = new List<(YamlScalarNode Node, string Handle)>();
        Collect(root, references);
        if (references.Count == 0)
        {
            return;
        }

        if (backend is null)
        {
            foreach (var (node, handle) in references)
            {
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] needs {Command.Name} in falcocheck.yaml to be resolved";
            }

            return;
        }

        // Handles answered before (kept by the caller across reads, as discovery does per pod) are not asked again.
        List<string> handles = [.. references.Select(r => r.Handle).Where(h => cache?.ContainsKey(h) != true).Distinct(StringComparer.Ordinal)];
        string? failure = null;
        Dictionary<string, SecretBackend.Answer>? answers = handles.Count == 0 ? [] : SecretBackend.Fetch(backend, handles, out failure);
        foreach (var (node, handle) in references)
        {
            if (cache is not null && cache.TryGetValue(handle, out string? known))
            {
                Set(ctx, node, known);
            }
            else if (answers is null)
            {
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] could not be resolved: {failure}";
            }
            else if (answers[handle] is { Value: { } value })
            {
                Set(ctx, node, value);
                if (cache is not null)
                {
                    cache[handle] = value;
                }
            }
            else
            {
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] could not be resolved: {answers[handle].Error}";
            }
        }
    }

    /// <summary>Quoted, so a secret reads as a string whatever it looks like ("123", "true"); never expanded.</summary>
    private static void Set(ConfigReadContext ctx, YamlScalarNode node, string value)
    {
        node.Value = value;
        node.Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted;
        ctx.ResolvedSecrets.Add(node);
    }

    private static bool IsReference(string text) =>
        text.Length > Prefix.Length + 1 && text.StartsWith(Prefix, StringComparison.Ordinal) && text.EndsWith(']');

    private static void Collect(YamlNode? node, List<(YamlScalarNode, string)> references)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text } scalar when IsReference(text):
                references.Add((scalar, text[Prefix.Length..^1]));
                break;
            case YamlSequenceNode sequence:
                foreach (YamlNode child in sequence.Children)
                {
                    Collect(child, references);
                }

                break;
            case YamlMappingNode mapping:
                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && name.StartsWith("secret_backend_", StringComparison.Ordinal))
                    {
                        continue; // checked by ReadBackend
                    }

                    Collect(value, references);
                }

                break;
        }
    }
}
