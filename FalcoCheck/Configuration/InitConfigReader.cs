using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>Reads <c>init_config:</c>; null or empty (as Datadog writes it) gives the defaults.</summary>
internal static class InitConfigReader
{
    public const string Proxy = "proxy";
    public const string SkipProxy = "skip_proxy";
    public const string Timeout = "timeout";
    public const string Service = "service";

    private static readonly string[] Keys = [Proxy, SkipProxy, Timeout, Service];

    /// <summary>
    /// Returns the init config (defaults for anything invalid, so instances can still be checked) and the node
    /// of <c>timeout</c> when set, for the interval-overlap check that points at it.
    /// </summary>
    public static InitConfig Read(ConfigReadContext ctx, YamlNode? node, SourcePosition fallback, out YamlNode? timeoutNode)
    {
        timeoutNode = null;
        ConfigMapping? map = ConfigMapping.Open(ctx, node, "init_config", fallback, Keys, DatadogOnlyOptions.InitConfig);
        if (map is null)
        {
            return InitConfig.Default;
        }

        TimeSpan? timeout = map.Seconds(Timeout);
        if (timeout is not null)
        {
            timeoutNode = map.Get(Timeout);
        }

        return new InitConfig
        {
            Timeout = timeout ?? InitConfig.DefaultTimeout,
            Proxy = ProxyConfigReader.Read(ctx, map.Get(Proxy), map.PathOf(Proxy), map.Position),
            SkipProxy = map.Bool(SkipProxy) ?? false,
            Service = map.String(Service),
        };
    }
}
