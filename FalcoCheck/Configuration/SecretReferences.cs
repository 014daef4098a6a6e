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
    public const string Command = "secret_backend_command";
    public const string Arguments = "secret_backend_arguments";
    public const string Timeout = "secret_backend_timeout";
    public const string OutputMaxSize = "secret_backend_output_max_size";

    /// <summary>
    /// Declared here and read below from the raw root: the backend runs before the file is read, to resolve its ENC[] values.
    /// </summary>
    public static IReadOnlyList<ConfigOption> Options { get; } =
    [
        Declare.FilePath(Command, "executable that resolves `ENC[handle]` values (JSON on stdin/stdout; owned by this user, mode 0700)",
            "/usr/local/bin/fetch-secrets"),
        Declare.StringList(Arguments, "its arguments", "[]"),
        Declare.Seconds(Timeout, SecretBackendConfig.DefaultTimeout.TotalSeconds, "seconds the backend may take"),
        Declare.Bytes(OutputMaxSize, SecretBackendConfig.DefaultOutputMaxSize, 2, int.MaxValue, "bytes the backend may write"),
    ];

    public static IReadOnlyList<string> Keys { get; } = [Command, Arguments, Timeout, OutputMaxSize];

    private const string Prefix = "ENC[";

    /// <summary>Reads the <c>secret_backend_*</c> settings from the agent file's root, or null when there are none.</summary>
    public static SecretBackendConfig? ReadBackend(ConfigReadContext ctx, YamlNode? root)
    {
        if (ConfigMapping.Peek(root, Command) is not { } commandNode || YamlScalars.IsNull(commandNode))
        {
            foreach (string key in (string[])[Arguments, Timeout, OutputMaxSize])
            {
                if (ConfigMapping.Peek(root, key) is { } orphan && !YamlScalars.IsNull(orphan))
                {
                    ctx.Error(orphan, key, $"{key} needs {Command}");
                }
            }

            return null;
        }

        foreach (string key in Keys)
        {
            if (ConfigMapping.Peek(root, key) is YamlScalarNode { Value: { } text } node && IsReference(text))
            {
                // The Agent's rule too: the backend cannot be used to find itself.
                ctx.Error(node, key, "ENC[] cannot be used in the secret_backend_* settings");
            }
        }

        string? command = ValueReader.String(ctx, commandNode, Command);
        IReadOnlyList<string> arguments = ValueReader.StringList(ctx, ConfigMapping.Peek(root, Arguments), Arguments) ?? [];
        TimeSpan timeout = ValueReader.Seconds(ctx, ConfigMapping.Peek(root, Timeout), Timeout) ?? SecretBackendConfig.DefaultTimeout;
        long maxSize = ValueReader.Integer(ctx, ConfigMapping.Peek(root, OutputMaxSize), OutputMaxSize, 2, int.MaxValue)
            ?? SecretBackendConfig.DefaultOutputMaxSize;
        return command is null ? null : new SecretBackendConfig
        {
            Command = ctx.ResolvePath(command),
            Arguments = arguments,
            Timeout = timeout,
            OutputMaxSize = (int)maxSize,
            Position = ctx.At(commandNode),
        };
    }

    /// <summary>Resolves every <c>ENC[handle]</c> under <paramref name="root"/>; errors go to the context.</summary>
    public static void Resolve(ConfigReadContext ctx, YamlNode? root, SecretBackendConfig? backend)
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
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] needs {Command} in falcocheck.yaml to be resolved";
            }

            return;
        }

        var handles = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, handle) in references)
        {
            if (seen.Add(handle))
            {
                handles.Add(handle);
            }
        }

        Dictionary<string, SecretBackend.Answer>? answers = SecretBackend.Fetch(backend, handles, out string? failure);
        foreach (var (node, handle) in references)
        {
            if (answers is null)
            {
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] could not be resolved: {failure}";
            }
            else if (answers[handle] is { Value: { } value })
            {
                // Quoted, so a secret reads as a string whatever it looks like ("123", "true").
                node.Value = value;
                node.Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted;
            }
            else
            {
                ctx.UnresolvedSecrets[node] = $"ENC[{handle}] could not be resolved: {answers[handle].Error}";
            }
        }
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
