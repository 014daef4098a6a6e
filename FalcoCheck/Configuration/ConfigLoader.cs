namespace FalcoCheck.Configuration;

/// <summary>
/// Entry points: the agent file, which must be right before anything starts, and the check file, whose errors
/// are data so that good instances run while bad ones are reported.
/// </summary>
internal static class ConfigLoader
{
    public const string AgentFileName = "falcocheck.yaml";

    /// <summary>Searched in order when no path is given: the working directory, then the system location.</summary>
    public static IReadOnlyList<string> DefaultAgentPaths { get; } = [AgentFileName, "/etc/falcocheck/" + AgentFileName];

    /// <summary>
    /// Loads the agent file at <paramref name="path"/>, or the first of <see cref="DefaultAgentPaths"/> that
    /// exists, or the defaults. Environment overrides apply in every case.
    /// </summary>
    /// <exception cref="ConfigException">Any error in the file or the overrides.</exception>
    public static AgentConfig LoadAgent(string? path, Func<string, string?> getEnv) =>
        LoadAgent(path, getEnv, DefaultAgentPaths);

    /// <summary>As above with the search list given, so tests do not depend on the working directory.</summary>
    internal static AgentConfig LoadAgent(string? path, Func<string, string?> getEnv, IReadOnlyList<string> searchPaths)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        ArgumentNullException.ThrowIfNull(searchPaths);
        path ??= searchPaths.FirstOrDefault(File.Exists);
        if (path is null)
        {
            var defaults = new ConfigReadContext(AgentConfig.DefaultSourceFile, getEnv, Directory.GetCurrentDirectory());
            AgentConfig config = AgentConfigReader.Read(defaults, null, AgentConfig.DefaultSourceFile);
            return defaults.ErrorCount == 0 ? config : throw new ConfigException(defaults.ErrorsInFileOrder());
        }

        var ctx = new ConfigReadContext(path, getEnv);
        if (TryReadText(ctx, path, out string text) && YamlDocumentLoader.TryLoad(ctx, text, out var root))
        {
            AgentConfig config = AgentConfigReader.Read(ctx, root, path);
            if (ctx.ErrorCount == 0)
            {
                return config;
            }
        }

        throw new ConfigException(ctx.ErrorsInFileOrder());
    }

    /// <summary>
    /// Loads conf.yaml. Never throws for anything about the file: a missing file, broken YAML and bad settings
    /// all come back in <see cref="CheckConfig.Errors"/>. <c>ENC[handle]</c> values are fetched from
    /// <paramref name="secrets"/>, the agent file's secret backend.
    /// </summary>
    public static CheckConfig LoadCheck(string path, Func<string, string?> getEnv, SecretBackendConfig? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(getEnv);
        var ctx = new ConfigReadContext(path, getEnv);
        if (TryReadText(ctx, path, out string text) && YamlDocumentLoader.TryLoad(ctx, text, out var root))
        {
            SecretReferences.Resolve(ctx, root, secrets);
            return CheckConfigReader.Read(ctx, root);
        }

        return new CheckConfig(path, InitConfig.Default, [], ctx.ErrorsInFileOrder(), 0);
    }

    /// <summary>
    /// The agent's conf.yaml. With Kubernetes discovery on, the file is optional: without it, every instance comes
    /// from the pods (the DaemonSet of samples/deploy/kubernetes mounts none).
    /// </summary>
    public static CheckConfig LoadCheck(AgentConfig agent, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(agent);
        string path = CheckConfigPath(agent);
        return agent.Kubernetes is { Enabled: true } && !File.Exists(path)
            ? new CheckConfig(path, InitConfig.Default, [], [], 0)
            : LoadCheck(path, getEnv, agent.SecretBackend);
    }

    public static string CheckConfigPath(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Path.Combine(agent.ConfdPath, "falco.d", "conf.yaml");
    }

    /// <summary>
    /// The instance template of Kubernetes discovery (pods labelled app.kubernetes.io/name=falco), beside conf.yaml as
    /// the Datadog Agent's auto_conf.yaml; the daemon watches it and reads it again on reload.
    /// </summary>
    public static string AutoConfPath(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Path.Combine(agent.ConfdPath, "falco.d", "auto_conf.yaml");
    }

    private static bool TryReadText(ConfigReadContext ctx, string path, out string text)
    {
        text = string.Empty;
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            ctx.Error(ctx.At(1, 1), string.Empty, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Error(ctx.At(1, 1), string.Empty, $"cannot read the file: {e.Message}");
        }

        return false;
    }
}
