using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using FalcoCheck.Scraping;

namespace FalcoCheck.Discovery;

/// <summary>
/// The route to the Kubernetes API, as kubectl (client-go) takes it, so a kubeconfig that works with kubectl works
/// here: the cluster's <c>proxy-url</c> for every request (its user-info as basic credentials, as Go's
/// http.ProxyURL); without it Go's http.ProxyFromEnvironment: <c>HTTPS_PROXY</c> for an https API (no fallback to
/// HTTP_PROXY), <c>HTTP_PROXY</c> for http (upper case first, then lower case), except for loopback and the hosts
/// of <c>NO_PROXY</c> (IPs, CIDRs, domains with their subdomains, <c>.domain</c> for subdomains only, an optional
/// port, <c>*</c>). The agent's <c>proxy:</c>, <c>skip_proxy</c> and <c>DD_PROXY_*</c> are the sinks' and do not
/// apply (README, "Reaching the API"). The API is one server, so the route is decided once, as an
/// <see cref="OutboundProxy"/> the handler applies as the scraper's and the sinks'.
/// </summary>
internal static class KubernetesProxy
{
    /// <summary>No proxy, whatever the process environment says (it was read through the injected one).</summary>
    public static OutboundProxy Direct { get; } = new(null, null, [], Skip: true);

    /// <param name="server">The API server.</param>
    /// <param name="proxyUrl">The cluster's <c>proxy-url</c>, or null.</param>
    /// <param name="getEnv">The environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms).</param>
    public static OutboundProxy For(Uri server, Uri? proxyUrl, Func<string, string?> getEnv)
    {
        if (proxyUrl is not null)
        {
            return new OutboundProxy(proxyUrl, proxyUrl, []);
        }

        bool https = server.Scheme == Uri.UriSchemeHttps;
        string name = https ? "HTTPS_PROXY" : "HTTP_PROXY";
        string? value = Variable(getEnv, name);
        if (value is null)
        {
            return Direct;
        }

        // Go drops a proxy it cannot parse and connects directly; here that is an error (named, its value not quoted), as
        // a typo is likelier than a wish to bypass the proxy. Checked before NO_PROXY. "proxy:3128" is http.
        Uri proxy = IsProxyUrl(value, out var url) ? url
            : !value.Contains("://", StringComparison.Ordinal) && IsProxyUrl("http://" + value, out var bare) ? bare
            : throw new KubernetesConnectionException($"{name} is not a proxy URL (expected http://host:port, https://host:port or socks5://host:port)");
        return Bypassed(server, Variable(getEnv, "NO_PROXY")) ? Direct : new OutboundProxy(proxy, proxy, []);
    }

    /// <summary>An absolute URL of a scheme client-go takes for a proxy: http, https or socks5.</summary>
    public static bool IsProxyUrl(string text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out url) && url.Scheme is "http" or "https" or "socks5" && url.Host.Length > 0;

    /// <summary>Upper case first, then lower case, as Go's httpproxy.FromEnvironment; empty is unset.</summary>
    private static string? Variable(Func<string, string?> getEnv, string name) =>
        getEnv(name) is { Length: > 0 } upper ? upper : getEnv(name.ToLowerInvariant()) is { Length: > 0 } lower ? lower : null;

    /// <summary>Go's httpproxy useProxy, negated: loopback always, then the NO_PROXY entries.</summary>
    private static bool Bypassed(Uri server, string? noProxy)
    {
        string host = server.IdnHost.Trim('[', ']').ToLowerInvariant();
        string port = server.Port.ToString(CultureInfo.InvariantCulture);
        IPAddress? ip = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (host == "localhost" || (ip is not null && IPAddress.IsLoopback(ip)))
        {
            return true;
        }

        foreach (string raw in (noProxy ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string entry = raw.ToLowerInvariant();
            if (entry == "*")
            {
                return true;
            }

            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (ip is not null && InNetwork(ip, entry))
                {
                    return true;
                }

                continue;
            }

            var (entryHost, entryPort) = SplitPort(entry);
            if (entryPort is not null && entryPort != port)
            {
                continue;
            }

            if (IPAddress.TryParse(entryHost.Trim('[', ']'), out var entryIp))
            {
                if (ip is not null && entryIp.Equals(ip))
                {
                    return true;
                }

                continue;
            }

            // "example.com" is the domain and its subdomains; ".example.com" and "*.example.com" its subdomains only.
            bool subdomainsOnly = entryHost.StartsWith('.') || entryHost.StartsWith("*.", StringComparison.Ordinal);
            string domain = entryHost.TrimStart('*').TrimStart('.');
            if (domain.Length > 0 && (host.EndsWith("." + domain, StringComparison.Ordinal) || (!subdomainsOnly && host == domain)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="ip"/> is in the CIDR; host bits in the CIDR are ignored, as Go's ParseCIDR masks them.</summary>
    private static bool InNetwork(IPAddress ip, string cidr)
    {
        int slash = cidr.IndexOf('/');
        if (!IPAddress.TryParse(cidr.AsSpan(0, slash), out var network) || network.AddressFamily != ip.AddressFamily
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(a, out int length);
        network.TryWriteBytes(b, out _);
        if (prefix > length * 8)
        {
            return false;
        }

        int whole = prefix / 8;
        int rest = prefix % 8;
        return a[..whole].SequenceEqual(b[..whole]) && (rest == 0 || ((a[whole] ^ b[whole]) & (0xFF << (8 - rest)) & 0xFF) == 0);
    }

    /// <summary>"host:port" or "[v6]:port" to its parts; a bare IPv6 address has no port.</summary>
    private static (string Host, string? Port) SplitPort(string entry)
    {
        int colon = entry.LastIndexOf(':');
        if (colon < 0 || (entry.IndexOf(':') != colon && !entry.StartsWith('[')) || (entry.StartsWith('[') && colon < entry.IndexOf(']')))
        {
            return (entry, null);
        }

        return (entry[..colon], entry[(colon + 1)..]);
    }
}
