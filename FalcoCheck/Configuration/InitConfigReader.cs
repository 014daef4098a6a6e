using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>Reads <c>init_config:</c>; null or empty (as Datadog writes it) gives the defaults.</summary>
internal static class InitConfigReader
{
    private static readonly SectionOption Proxy = Declare.Nested("proxy", "the proxy of every instance without its own",
        ProxyConfigReader.Example, () => ProxyConfigReader.Section);

    private static readonly ValueOption<bool> SkipProxy = Declare.Bool("skip_proxy", false, "instances connect directly, ignoring any proxy");

    private static readonly ValueOption<TimeSpan> Timeout = Declare.Seconds("timeout", InitConfig.DefaultTimeout.TotalSeconds,
        "seconds, the default timeout of every instance");

    private static readonly TextOption<string> Service = Declare.Text("service", "adds `service:<value>` to every instance", "<SERVICE>");

    public static OptionSection Section { get; } = new("init_config", "a mapping", [Proxy, SkipProxy, Timeout, Service])
    {
        DatadogOnly = DatadogOnlyOptions.InitConfig,
        Doc = "All options defined here are available to all instances.",
    };

    /// <summary>
    /// Returns the init config (defaults for anything invalid, so instances can still be checked) and the node
    /// of <c>timeout</c> when set, for the interval-overlap check that points at it.
    /// </summary>
    public static InitConfig Read(ConfigReadContext ctx, YamlNode? node, SourcePosition fallback, out YamlNode? timeoutNode)
    {
        timeoutNode = null;
        ConfigMapping? map = Section.Open(ctx, node, "init_config", fallback);
        if (map is null)
        {
            return InitConfig.Default;
        }

        TimeSpan? timeout = Timeout.Written(map);
        timeoutNode = timeout is null ? null : map.Get(Timeout.Name);

        return new InitConfig
        {
            Timeout = timeout ?? InitConfig.DefaultTimeout,
            Proxy = ProxyConfigReader.Read(map),
            SkipProxy = SkipProxy.Read(map),
            Service = Service.Read(map),
        };
    }
}
