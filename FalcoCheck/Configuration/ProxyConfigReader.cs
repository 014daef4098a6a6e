using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>Reads a <c>proxy:</c> mapping (init_config or instance level).</summary>
internal static class ProxyConfigReader
{
    // The schemes .NET's HttpClient can use as a proxy. Datadog also documents socks5h; .NET's socks5 already
    // sends host names to the proxy for resolution, which is what socks5h means, so we point users there.
    private static readonly string[] Schemes = ["http", "https", "socks4", "socks4a", "socks5"];

    private static readonly TextOption<Uri> Http = Declare.Url("http", Schemes, "proxy of http:// requests", "http://proxy:3128");
    private static readonly TextOption<Uri> Https = Declare.Url("https", Schemes, "proxy of https:// requests", "http://proxy:3128");
    private static readonly TextOption<IReadOnlyList<string>> NoProxy = Declare.StringList("no_proxy",
        "hosts reached directly (a comma-separated string also works); `*` matches any run of characters", "\n- localhost\n- 127.0.0.1", commas: true);

    public static OptionSection Section { get; } = new("proxy", "a mapping with http, https and no_proxy", [Http, Https, NoProxy]);

    /// <summary>The nested example of every <c>proxy:</c> option.</summary>
    public const string Example = "\n  http: http://proxy:3128\n  https: http://proxy:3128\n  no_proxy:\n  - localhost\n  - 127.0.0.1";

    /// <summary>The <c>proxy:</c> of <paramref name="parent"/>; null when it is absent or after recording errors.</summary>
    public static Scraping.OutboundProxy? Read(ConfigMapping parent)
    {
        ConfigReadContext ctx = parent.Context;
        int errors = ctx.ErrorCount;
        if (!parent.Has(Section.Name) || Section.Open(ctx, parent.Get(Section.Name), parent.PathOf(Section.Name), parent.Position) is not { } map)
        {
            return null;
        }

        Uri? http = ReadUrl(map, Http);
        Uri? https = ReadUrl(map, Https);
        IReadOnlyList<string> noProxy = NoProxy.Read(map) ?? [];
        return ctx.ErrorCount == errors ? new Scraping.OutboundProxy(http, https, noProxy) : null;
    }

    private static Uri? ReadUrl(ConfigMapping map, TextOption<Uri> option)
    {
        if (map.Get(option.Name) is YamlScalarNode { Value: { } text }
            && text.StartsWith("socks5h://", StringComparison.OrdinalIgnoreCase))
        {
            map.Error(option.Name, "scheme 'socks5h' is not supported; use socks5, which lets the proxy resolve host names");
            return null;
        }

        return option.Read(map);
    }
}
