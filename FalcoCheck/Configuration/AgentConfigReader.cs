using YamlDotNet.RepresentationModel;
using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// Binds the agent file's root mapping to <see cref="AgentConfig"/>, then applies the Datadog Agent's
/// environment overrides (<c>DD_HOSTNAME</c>, <c>DD_API_KEY</c>, <c>DD_SITE</c>), which win over the file as they
/// do in the Agent, so one image can be configured per deployment.
/// </summary>
internal static class AgentConfigReader
{
    /// <summary>Hostnames are at most 255 characters (RFC 1123 section 2.1), as the Datadog Agent checks.</summary>
    private const int MaxHostnameLength = 255;

    private const string HostnameMessage =
        "expected a host name of at most 255 letters, digits, '-', '_' and '.'";

    // Never quotes the value back: a proxy URL may carry a password.
    private const string ProxyMessage = "expected an absolute URL such as http://proxy:3128/";

    internal const string SiteMessage =
        "expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path";

    private static readonly TextOption<string> Hostname = Text("hostname", "host name sent with every metric; DD_HOSTNAME overrides", "falco-demo-host", "the machine name");
    private static readonly TextOption<IReadOnlyList<string>> Tags = StringList("tags", "tags added to every metric from every instance", "\n  - env:demo\n  - team:security");
    private static readonly TextOption<string> StateDir = FilePath("state_dir", "counter state of one-shot runs, spools and alert offsets", "state", "state (beside this file)");
    private static readonly TextOption<string> ConfdPath = FilePath("confd_path", "where the check configuration lives: <confd_path>/falco.d/conf.yaml", "../conf.d",
        "conf.d (beside this file)");
    private static readonly TextOption<string> LogLevel = OneOf("log_level", AgentConfig.LogLevels, AgentConfig.DefaultLogLevel, "trace, debug, info, warn, error or off");

    /// <summary>Each scrape holds a connection and a body buffer of up to max_response_size; beyond 1024 is a typo.</summary>
    private static readonly ValueOption<long> MaxConcurrentScrapes = Integer("max_concurrent_scrapes", AgentConfig.DefaultMaxConcurrentScrapes, 1, 1024,
        "scrapes running at once (1–1024)");
    private static readonly TextOption<Secret> ApiKey = SecretText("api_key", "Datadog API key of the datadog sinks; DD_API_KEY overrides; never printed", "\"%%env_DD_API_KEY%%\"");
    private static readonly TextOption<string> Site = Declare.Site("site", "Datadog site of the datadog sinks; DD_SITE overrides", AgentConfig.DefaultSite, "`datadoghq.com`");
    private static readonly SectionOption Proxy = Nested("proxy",
        "the proxy of every sink (metrics and alert logs); DD_PROXY_HTTP, DD_PROXY_HTTPS and DD_PROXY_NO_PROXY override it",
        "\n  http: http://proxy:3128\n  https: http://proxy:3128\n  no_proxy: [localhost]", () => ProxyConfigReader.Section);
    private static readonly ValueOption<bool> SkipProxy = Bool("skip_proxy", false, "the sinks connect directly, ignoring HTTP(S)_PROXY too");
    private static readonly SectionOption Sinks = Nested("sinks", "where metrics go; each entry is one sink (see `sinks.*`)",
        "\n  - type: console\n    format: table\n  - type: file\n    path: out/falco-metrics.jsonl", kind: OptionKind.List, typeWord: "list of mappings",
        rule: "one console sink");
    private static readonly SectionOption Alerts = Nested("alerts", "Falco's alerts as logs (see `alerts`)",
        "\n  http:\n    listen: 127.0.0.1:2801\n  sinks:\n    - type: file\n      path: out/falco-alerts.jsonl", () => AlertsConfigReader.Section);

    public static OptionSection Section { get; } = new("agent", "a mapping of agent settings",
    [
        Hostname, Tags, StateDir, ConfdPath, LogLevel, MaxConcurrentScrapes, ApiKey, Site, Proxy, SkipProxy, .. SecretReferences.Options, Sinks, Alerts,
        .. DaemonConfigReader.Options,
    ])
    {
        Doc = "falcocheck.yaml: who this host is, where state lives and where metrics go.",
        TopLevel = true,
    };

    public static AgentConfig Read(ConfigReadContext ctx, YamlNode? root, string sourceFile)
    {
        ConfigMapping? map = Section.Open(ctx, root, string.Empty, ctx.At(1, 1));
        if (map is null)
        {
            return new AgentConfig();
        }

        // First: the secret backend resolves the ENC[] values of the whole file, in place, so the map reads them.
        SecretBackendConfig? secrets = SecretReferences.ReadBackend(map);
        SecretReferences.Resolve(ctx, root, secrets);
        string? site = Site.Read(map);
        string? hostname = Hostname.Read(map);
        if (hostname is not null && !IsValidHostname(hostname))
        {
            map.Error(Hostname.Name, HostnameMessage);
        }

        // Read before the sinks, which inherit them (a datadog sink without api_key uses the agent's; every HTTP
        // sink goes through the agent's proxy).
        ctx.OutboundProxy = ReadProxy(ctx, map);
        string? hostnameOverride = Override(ctx, "DD_HOSTNAME", Hostname.Name, IsValidHostname, HostnameMessage);
        Secret? apiKey = Override(ctx, "DD_API_KEY", ApiKey.Name, static _ => true, string.Empty) is { } key ? new Secret(key) : ApiKey.Read(map);
        string siteOrDefault = Override(ctx, "DD_SITE", Site.Name, IsValidSite, SiteMessage) ?? site ?? AgentConfig.DefaultSite;
        string stateDir = StateDir.Read(map) ?? ctx.ResolvePath(AgentConfig.DefaultStateDir);
        var inherited = new AgentDefaults(apiKey, siteOrDefault, stateDir);
        var config = new AgentConfig
        {
            SourceFile = sourceFile,
            Hostname = hostnameOverride ?? hostname ?? Environment.MachineName,
            Tags = Tags.Read(map) ?? [],
            Sinks = SinkConfigReader.ReadList(ctx, map.Get(Sinks.Name), Sinks.Name, inherited) ?? [new ConsoleSinkConfig(map.Position)],
            StateDir = stateDir,
            LogLevel = LogLevel.Read(map)!,
            ConfdPath = ConfdPath.Read(map) ?? ctx.ResolvePath(AgentConfig.DefaultConfdPath),
            ApiKey = apiKey,
            Site = siteOrDefault,
            MaxConcurrentScrapes = (int)MaxConcurrentScrapes.Read(map),
            Proxy = ctx.OutboundProxy,
            SecretBackend = secrets,
            Alerts = AlertsConfigReader.Read(ctx, map.Get(Alerts.Name), Alerts.Name, inherited),
        };
        return DaemonConfigReader.Read(map, config);
    }

    /// <summary>
    /// <c>proxy:</c> and <c>skip_proxy</c>, with the Datadog Agent's environment overrides: <c>DD_PROXY_HTTP</c>,
    /// <c>DD_PROXY_HTTPS</c> and <c>DD_PROXY_NO_PROXY</c> (space-separated hosts) win over the file.
    /// </summary>
    private static Scraping.OutboundProxy? ReadProxy(ConfigReadContext ctx, ConfigMapping map)
    {
        Scraping.OutboundProxy? file = ProxyConfigReader.Read(map);
        Uri? http = Override(ctx, "DD_PROXY_HTTP", Proxy.Name, IsProxyUrl, ProxyMessage) is { } httpProxy ? new Uri(httpProxy) : file?.Http;
        Uri? https = Override(ctx, "DD_PROXY_HTTPS", Proxy.Name, IsProxyUrl, ProxyMessage) is { } httpsProxy ? new Uri(httpsProxy) : file?.Https;
        IReadOnlyList<string> noProxy = ctx.GetEnv("DD_PROXY_NO_PROXY") is { Length: > 0 } hosts
            ? hosts.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : file?.NoProxy ?? [];
        bool skip = SkipProxy.Read(map);
        return http is null && https is null && !skip ? null : new Scraping.OutboundProxy(http, https, noProxy, skip);
    }

    private static bool IsProxyUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" or "socks4" or "socks4a" or "socks5";

    /// <summary>
    /// An environment override, or null when the variable is unset or empty. A bad value is reported at
    /// <c>$NAME:1:1</c>: there is no file position, and the variable's name is what the user must fix.
    /// </summary>
    private static string? Override(ConfigReadContext ctx, string variable, string setting, Func<string, bool> isValid, string message)
    {
        string? value = ctx.GetEnv(variable)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!isValid(value))
        {
            ctx.Error(new SourcePosition("$" + variable, 1, 1), setting, message);
            return null;
        }

        return value;
    }

    internal static bool IsValidHostname(string name) =>
        name.Length is > 0 and <= MaxHostnameLength
        && !name.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    internal static bool IsValidSite(string site) =>
        site.Contains('.', StringComparison.Ordinal) && IsValidHostname(site) && !site.StartsWith('.') && !site.EndsWith('.');
}
