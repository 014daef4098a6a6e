using System.Net.Security;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Datadog OpenMetrics V2 and HTTP options that have a meaning here and are honoured as Datadog reads them:
/// <c>metrics</c>, <c>metric_patterns</c>, <c>ignore_tags</c>, <c>allow_redirects</c>, <c>tls_protocols_allowed</c>,
/// <c>tls_ciphers</c> and <c>tls_ignore_warning</c>. (Options without effect are in <see cref="DatadogOnlyOptions"/>.)
/// </summary>
internal static class DatadogCompatibility
{
    /// <summary>The keys of <c>metric_patterns</c>.</summary>
    public static OptionSection PatternSection { get; } = new("metric_patterns", "a mapping with include and/or exclude",
    [
        Declare.Nested("include", "regular expressions; when given, only raw names one of them finds are sent", "\n- ^falcosecurity_", kind: OptionKind.List),
        Declare.Nested("exclude", "regular expressions; raw names one of them finds are not sent (wins over include)", "\n- jemalloc", kind: OptionKind.List),
    ]);

    /// <summary>The values Datadog lists for tls_protocols_allowed; only TLS 1.2 and 1.3 can still be offered.</summary>
    private static readonly string[] Protocols = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    /// <summary>OpenSSL's names for the usual TLS 1.2 suites, which Datadog configs often carry, to IANA's.</summary>
    private static readonly Dictionary<string, TlsCipherSuite> OpenSslNames = new(StringComparer.Ordinal)
    {
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    /// <summary><c>tags</c> without the entries an <c>ignore_tags</c> regular expression finds (Python's re.search).</summary>
    public static IReadOnlyList<string> WithoutIgnoredTags(ConfigMapping map, IReadOnlyList<string> tags)
    {
        var patterns = Patterns(map, InstanceConfigReader.IgnoreTags.Name);
        return patterns.Count == 0 ? tags : [.. tags.Where(tag => !patterns.Exists(p => p.IsMatch(tag)))];
    }

    /// <summary>
    /// <c>metric_patterns</c>: its <c>include</c> and <c>exclude</c> regular expressions, searched in the raw name. A
    /// plain name is wrapped in a group so the mapper searches it too (its exact-name rule is for exclude_metrics only).
    /// </summary>
    public static (IReadOnlyList<string> Include, IReadOnlyList<string> Exclude) ReadMetricPatterns(ConfigMapping map)
    {
        // Opened only when written: a file without it never builds its table.
        if (map.Get(InstanceConfigReader.MetricPatterns.Name) is null || InstanceConfigReader.MetricPatterns.Open(map) is not { } patterns)
        {
            return ([], []);
        }

        return (List("include"), List("exclude"));

        List<string> List(string key) =>
            [.. Patterns(patterns, key).Select(p => p.ToString()).Select(text => RegexValidator.LooksLikeRegex(text) ? text : "(?:" + text + ")")];
    }

    public static SslProtocols ReadTlsProtocols(ConfigMapping map)
    {
        if (map.StringItems(InstanceConfigReader.TlsProtocols.Name) is not { } names)
        {
            return SslProtocols.None;
        }

        var protocols = SslProtocols.None;
        bool unknown = false;
        foreach ((string name, YamlNode node, string itemPath) in names)
        {
            protocols |= name switch
            {
                "TLSv1.2" => SslProtocols.Tls12,
                "TLSv1.3" => SslProtocols.Tls13,
                _ => SslProtocols.None,
            };
            if (name is "SSLv3" or "TLSv1" or "TLSv1.1")
            {
                map.Context.Notice(node, itemPath, $"{name} is never offered (the system's TLS refuses it); TLSv1.2 and TLSv1.3 are used");
            }
            else if (name is not ("TLSv1.2" or "TLSv1.3"))
            {
                map.Context.Error(node, itemPath, $"expected one of {string.Join(", ", Protocols)}, got {ValueReader.Quote(name)}");
                unknown = true;
            }
        }

        if (protocols == SslProtocols.None && !unknown && names.Count > 0)
        {
            map.Error(InstanceConfigReader.TlsProtocols.Name, "none of these can be offered; add TLSv1.2 or TLSv1.3");
        }

        return protocols;
    }

    /// <summary>IANA names (TLS_AES_128_GCM_SHA256), the usual OpenSSL names, or ALL (the system's list: null).</summary>
    public static IReadOnlyList<TlsCipherSuite>? ReadTlsCiphers(ConfigMapping map)
    {
        if (map.StringItems(InstanceConfigReader.TlsCiphers.Name) is not { } names)
        {
            return null;
        }

        var suites = new List<TlsCipherSuite>();
        foreach ((string name, YamlNode node, string path) in names)
        {
            if (name == "ALL")
            {
                return null;
            }

            if (OpenSslNames.TryGetValue(name, out TlsCipherSuite suite)
                || (name.StartsWith("TLS_", StringComparison.Ordinal) && Enum.TryParse(name, ignoreCase: false, out suite)))
            {
                suites.Add(suite);
            }
            else
            {
                map.Context.Error(node, path, $"unknown cipher suite {ValueReader.Quote(name)}; expected an IANA name such as TLS_AES_128_GCM_SHA256, or ALL");
            }
        }

        return suites;
    }

    /// <summary>As Datadog warns (urllib3's InsecureRequestWarning) unless <c>tls_ignore_warning</c> is true.</summary>
    public static void WarnInsecure(ConfigMapping map, bool tlsVerify)
    {
        bool ignore = InstanceConfigReader.TlsIgnoreWarning.Read(map);
        if (!tlsVerify && !ignore && map.Get(ConnectionOptionsReader.TlsVerify.Name) is { } node)
        {
            map.Context.Notice(node, map.PathOf(ConnectionOptionsReader.TlsVerify.Name),
                "the endpoint's certificate is not checked; set tls_ignore_warning: true to silence this notice");
        }
    }

    private static List<Regex> Patterns(ConfigMapping map, string key) =>
        [.. (map.StringItems(key) ?? []).Select(item => RegexValidator.TryCompile(map.Context, item.Node, item.Path, item.Text)).OfType<Regex>()];
}
