using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Binds the agent file's root mapping to <see cref="AgentConfig"/>, then applies the Datadog Agent's
/// environment overrides (<c>DD_HOSTNAME</c>, <c>DD_API_KEY</c>, <c>DD_SITE</c>), which win over the file as they
/// do in the Agent, so one image can be configured per deployment.
/// </summary>
internal static class AgentConfigReader
{
    private const string Hostname = "hostname";
    private const string ApiKey = "api_key";
    private const string Site = "site";
    private const string Proxy = "proxy";
    private const string SkipProxy = "skip_proxy";

    /// <summary>Hostnames are at most 255 characters (RFC 1123 section 2.1), as the Datadog Agent checks.</summary>
    private const int MaxHostnameLength = 255;

    /// <summary>Each scrape holds a connection and a body buffer of up to max_response_size; beyond this is a typo.</summary>
    private const int MaxConcurrentScrapesLimit = 1024;

    private const string HostnameMessage =
        "expected a host name of at most 255 letters, digits, '-', '_' and '.'";

    private const string SiteMessage =
        "expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path";

    public static IReadOnlyList<string> Keys { get; } =
        [Hostname, "tags", "sinks", "state_dir", "log_level", "confd_path", ApiKey, Site, "max_concurrent_scrapes", "alerts", Proxy, SkipProxy, .. DaemonConfigReader.Keys, .. SecretReferences.Keys];

    public static AgentConfig Read(ConfigReadContext ctx, YamlNode? root, string sourceFile)
    {
        var defaults = new AgentConfig();
        ConfigMapping? map = ConfigMapping.Open(ctx, root, string.Empty, ctx.At(1, 1), Keys,
            what: "a mapping of agent settings");
        if (map is null)
        {
            return defaults;
        }

        string? hostname = map.String(Hostname);
        if (hostname is not null && !IsValidHostname(hostname))
        {
            map.Error(Hostname, HostnameMessage);
        }

        string? site = map.String(Site);
        if (site is not null && !IsValidSite(site))
        {
            map.Error(Site, SiteMessage);
        }

        // Read before the sinks, which inherit them (a datadog sink without api_key uses the agent's; every HTTP
        // sink goes through the agent's proxy).
        ctx.OutboundProxy = ReadProxy(ctx, map);
        string? hostnameOverride = Override(ctx, "DD_HOSTNAME", Hostname, IsValidHostname, HostnameMessage);
        Secret? apiKey = Override(ctx, "DD_API_KEY", ApiKey, static _ => true, string.Empty) is { } key ? new Secret(key) : map.Secret(ApiKey);
        string siteOrDefault = Override(ctx, "DD_SITE", Site, IsValidSite, SiteMessage) ?? site ?? AgentConfig.DefaultSite;
        var config = new AgentConfig
        {
            SourceFile = sourceFile,
            Hostname = hostnameOverride ?? hostname ?? defaults.Hostname,
            Tags = map.StringList("tags") ?? [],
            Sinks = SinkConfigReader.ReadList(ctx, map.Get("sinks"), "sinks", new SinkDefaults(apiKey, siteOrDefault))
                ?? [new ConsoleSinkConfig(map.Position)],
            StateDir = map.FilePath("state_dir") ?? ctx.ResolvePath(AgentConfig.DefaultStateDir),
            LogLevel = map.OneOf("log_level", AgentConfig.LogLevels) ?? AgentConfig.DefaultLogLevel,
            ConfdPath = map.FilePath("confd_path") ?? ctx.ResolvePath(AgentConfig.DefaultConfdPath),
            ApiKey = apiKey,
            Site = siteOrDefault,
            MaxConcurrentScrapes = (int)(map.Integer("max_concurrent_scrapes", 1, MaxConcurrentScrapesLimit)
                ?? AgentConfig.DefaultMaxConcurrentScrapes),
            Proxy = ctx.OutboundProxy,
        };

        // Read last: the alert sinks inherit the resolved api_key, site and state_dir.
        return DaemonConfigReader.Read(map, config) with
        {
            Alerts = AlertsConfigReader.Read(ctx, map.Get("alerts"), "alerts", new AgentDefaults(config.ApiKey, config.Site, config.StateDir)),
        };
    }

    /// <summary>
    /// <c>proxy:</c> and <c>skip_proxy</c>, with the Datadog Agent's environment overrides: <c>DD_PROXY_HTTP</c>,
    /// <c>DD_PROXY_HTTPS</c> and <c>DD_PROXY_NO_PROXY</c> (space-separated hosts) win over the file.
    /// </summary>
    private static Scraping.OutboundProxy? ReadProxy(ConfigReadContext ctx, ConfigMapping map)
    {
        Scraping.OutboundProxy? file = ProxyConfigReader.Read(ctx, map.Get(Proxy), map.PathOf(Proxy), map.Position);
        Uri? http = ProxyOverride(ctx, "DD_PROXY_HTTP") ?? file?.Http;
        Uri? https = ProxyOverride(ctx, "DD_PROXY_HTTPS") ?? file?.Https;
        IReadOnlyList<string> noProxy = ctx.GetEnv("DD_PROXY_NO_PROXY") is { Length: > 0 } hosts
            ? hosts.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : file?.NoProxy ?? [];
        bool skip = map.Bool(SkipProxy) ?? false;
        return http is null && https is null && !skip ? null : new Scraping.OutboundProxy(http, https, noProxy, skip);
    }

    private static Uri? ProxyOverride(ConfigReadContext ctx, string variable)
    {
        string? value = ctx.GetEnv(variable)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" or "socks4" or "socks4a" or "socks5")
        {
            return url;
        }

        // Never quoted back: a proxy URL may carry a password.
        ctx.Error(new SourcePosition("$" + variable, 1, 1), Proxy, "expected an absolute URL such as http://proxy:3128/");
        return null;
    }

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
