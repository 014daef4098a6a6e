using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// State shared by the readers of one file: its name for positions, its directory for relative paths, the
/// environment lookup for <c>%%env_NAME%%</c> and the list every error is added to. Readers never stop at an
/// error; they record it and carry on, so one load reports everything (CONVENTIONS "what to avoid" 2).
/// </summary>
internal sealed class ConfigReadContext
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigError> _notices = [];

    /// <param name="file">The name used in positions, as the user gave it.</param>
    /// <param name="getEnv">Environment lookup, injected so tests never touch the real environment.</param>
    /// <param name="baseDirectory">Where relative paths resolve; the file's directory when null.</param>
    public ConfigReadContext(string file, Func<string, string?> getEnv, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(getEnv);
        File = file;
        GetEnv = getEnv;
        string? directory = baseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(file));
        BaseDirectory = string.IsNullOrEmpty(directory) ? Directory.GetCurrentDirectory() : Path.GetFullPath(directory);
    }

    public string File { get; }

    /// <summary>Relative paths in the file resolve against the file's own directory, not the working directory.</summary>
    public string BaseDirectory { get; }

    public Func<string, string?> GetEnv { get; }

    /// <summary>
    /// <c>ENC[handle]</c> values the secret backend did not give, with the reason: reported by whichever reader
    /// reads the value, so the error carries that setting's path and drops what holds it.
    /// </summary>
    public Dictionary<YamlScalarNode, string> UnresolvedSecrets { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Values the secret backend gave: taken as they are, never expanded (a secret may hold "%%").</summary>
    public HashSet<YamlScalarNode> ResolvedSecrets { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The agent file's <c>proxy:</c> / <c>skip_proxy</c> with DD_PROXY_* applied, read before the sinks so every
    /// HTTP sink endpoint read after it goes through it, as all of the Datadog Agent's outgoing traffic does.
    /// </summary>
    public Scraping.OutboundProxy? OutboundProxy { get; set; }

    public int ErrorCount => _errors.Count;

    /// <summary>
    /// The errors in file order, as a reader scans the file; errors without a place in the file (environment
    /// overrides) come last. The sort is stable, so errors at one place keep the order they were found in.
    /// </summary>
    public ConfigError[] ErrorsInFileOrder() =>
        _errors.OrderBy(e => e.Position.File == File ? 0 : 1)
            .ThenBy(e => e.Position.Line)
            .ThenBy(e => e.Position.Column)
            .ToArray();

    public SourcePosition At(YamlNode node) => At(node.Start.Line, node.Start.Column);

    public SourcePosition At(long line, long column) =>
        new(File, (int)Math.Clamp(line, 1, int.MaxValue), (int)Math.Clamp(column, 1, int.MaxValue));

    public void Error(YamlNode node, string path, string message) => Error(At(node), path, message);

    /// <summary>Not an error: a Datadog option accepted without effect, and what FalcoCheck does instead.</summary>
    public void Notice(YamlNode node, string path, string message) => _notices.Add(new ConfigError(At(node), path, message));

    public ConfigError[] NoticesInFileOrder() => [.. _notices.OrderBy(n => n.Position.Line).ThenBy(n => n.Position.Column)];

    public void Error(SourcePosition position, string path, string message) =>
        _errors.Add(new ConfigError(position, path, message));

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));
}
