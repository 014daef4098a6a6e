using Microsoft.Extensions.Logging;

namespace FalcoCheck.Discovery;

/// <summary>Events of Kubernetes discovery (CONVENTIONS 14).</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(400, LogLevel.Information, "kubernetes: watching pods {Scope} at {Api}{Proxy}")]
    public static partial void Watching(ILogger logger, string scope, string api, string proxy);

    [LoggerMessage(401, LogLevel.Information, "kubernetes: listed {Pods} pod(s), {Falco} Falco pod(s) ready to scrape")]
    public static partial void Listed(ILogger logger, int pods, int falco);

    [LoggerMessage(402, LogLevel.Warning, "kubernetes: API unreachable or failing ({Reason}); running instances keep running, retrying in {Seconds:0.#} s")]
    public static partial void ApiDown(ILogger logger, string reason, double seconds);

    [LoggerMessage(403, LogLevel.Information, "kubernetes: watch expired (410 Gone); listing again")]
    public static partial void Gone(ILogger logger);

    [LoggerMessage(404, LogLevel.Information, "kubernetes: pod {Pod} ({Source}): {Instances} instance(s)")]
    public static partial void PodFound(ILogger logger, string pod, string source, int instances);

    [LoggerMessage(405, LogLevel.Information, "kubernetes: pod {Pod} gone or not ready; its instances stop")]
    public static partial void PodGone(ILogger logger, string pod);

    [LoggerMessage(406, LogLevel.Error, "kubernetes: {Error}")]
    public static partial void PodError(ILogger logger, string error);

    [LoggerMessage(407, LogLevel.Information, "kubernetes: watch connection dropped; watching again from resourceVersion {Version}")]
    public static partial void Resumed(ILogger logger, string version);
}
