using FalcoCheck.Configuration;

namespace FalcoCheck.Runtime;

/// <summary>What <c>falcocheck run</c> starts the daemon with.</summary>
internal sealed record DaemonOptions
{
    /// <summary>The <c>--config</c> argument as given (null: the default search), read again at every reload.</summary>
    public string? ConfigArgument { get; init; }

    public required AgentConfig Agent { get; init; }

    public required CheckConfig Check { get; init; }

    public required Func<string, string?> GetEnv { get; init; }

    /// <summary>Where the console sink writes (standard output; logs go to standard error).</summary>
    public required TextWriter Console { get; init; }

    /// <summary>Longest wait between attempts while the Kubernetes API fails (shorter in tests).</summary>
    public TimeSpan DiscoveryMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
