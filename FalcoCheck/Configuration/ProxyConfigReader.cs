using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>Reads a <c>proxy:</c> mapping (init_config or instance level).</summary>
internal static class ProxyConfigReader
{
    private const string Http = "http";
    private const string Https = "https";
    private const string NoProxy = "no_proxy";

    private static readonly string[] Keys = [Http, Https, NoProxy];

    // The schemes .NET's HttpClient can use as a proxy. Datadog also documents socks5h; .NET's socks5 already
    // sends host names to the proxy for resolution, which is what socks5h means, so we point users there.
    private static readonly string[] Schemes = ["http", "https", "socks4", "socks4a", "socks5"];

    /// <summary>Returns null when the proxy is absent or after recording errors.</summary>
    public static Scraping.OutboundProxy? Read(ConfigReadContext ctx, YamlNode? node, string path, SourcePosition fallback)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        int errors = ctx.ErrorCount;
        ConfigMapping? map = ConfigMapping.Open(ctx, node, path, fallback, Keys,
            what: "a mapping with http, https and no_proxy");
        if (map is null)
        {
            return null;
        }

        Uri? http = ReadUrl(map, Http);
        Uri? https = ReadUrl(map, Https);
        IReadOnlyList<string> noProxy = ReadNoProxy(map) ?? [];
        return ctx.ErrorCount == errors ? new Scraping.OutboundProxy(http, https, noProxy) : null;
    }

    private static Uri? ReadUrl(ConfigMapping map, string key)
    {
        if (map.Get(key) is YamlScalarNode { Value: { } text }
            && text.StartsWith("socks5h://", StringComparison.OrdinalIgnoreCase))
        {
            map.Error(key, "scheme 'socks5h' is not supported; use socks5, which lets the proxy resolve host names");
            return null;
        }

        return map.Url(key, Schemes);
    }

    /// <summary>A list of hosts, or one comma-separated string as in the NO_PROXY environment variable.</summary>
    private static IReadOnlyList<string>? ReadNoProxy(ConfigMapping map)
    {
        if (map.Get(NoProxy) is YamlScalarNode scalar && !YamlScalars.IsNull(scalar))
        {
            string? text = map.String(NoProxy);
            return text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return map.StringList(NoProxy);
    }
}
