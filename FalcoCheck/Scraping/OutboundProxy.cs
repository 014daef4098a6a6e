using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FalcoCheck.Configuration;

namespace FalcoCheck.Scraping;

/// <summary>
/// A <c>proxy:</c> setting (the agent's, init_config's or an instance's), as the Datadog Agent reads it: one for http targets, one for https
/// targets (falling back to the http one), and hosts that bypass it (<c>*</c> matches any run of characters).
/// <see cref="Skip"/> connects directly, ignoring the environment's <c>HTTP(S)_PROXY</c> too. A proxy URL may carry
/// <c>user:password@</c>: sent as basic credentials when the proxy asks, kept out of the address the runtime quotes in
/// its errors, and redacted in the printed form.
/// </summary>
internal sealed record OutboundProxy(Uri? Http, Uri? Https, IReadOnlyList<string> NoProxy, bool Skip = false)
{
    /// <summary>Sets the handler's proxy for requests to <paramref name="target"/>; null leaves the environment's.</summary>
    public static void Apply(SocketsHttpHandler handler, OutboundProxy? proxy, Uri target)
    {
        if (proxy is null)
        {
            return;
        }

        if (proxy.Skip)
        {
            handler.UseProxy = false;
        }
        else if (proxy.For(target) is { } web)
        {
            handler.Proxy = web;
            handler.UseProxy = true;
        }
    }

    /// <summary>The proxy requests to <paramref name="target"/> go through, or null for none configured.</summary>
    public WebProxy? For(Uri target)
    {
        Uri? address = target.Scheme == Uri.UriSchemeHttps ? Https ?? Http : Http;
        if (address is null)
        {
            return null;
        }

        // The runtime names the proxy in its errors ("The proxy tunnel request to proxy '…' failed"), so the address
        // it holds has no user-info; the user-info goes in Credentials, sent as basic auth when the proxy asks (407).
        var web = new WebProxy(string.IsNullOrEmpty(address.UserInfo) ? address : new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri)
        {
            BypassProxyOnLocal = false,
        };
        if (NoProxy.Count > 0)
        {
            // NOTE: WebProxy matches its bypass list against "scheme://host[:port]", not the bare host: a pattern
            // of the host alone never matches (pinned by SinkProxyTests).
            web.BypassList = [.. NoProxy.Select(host =>
                "^[a-z]+://" + Regex.Escape(host).Replace("\\*", ".*", StringComparison.Ordinal) + "(?::[0-9]+)?$")];
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            // Split before unescaping: an escaped ':' (%3A) belongs to the user or the password (as Go's url.User).
            var parts = address.UserInfo.Split(':', 2);
            web.Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        return web;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Http = ").Append(Http is null ? "null" : EndpointRedactor.Redact(Http));
        builder.Append(", Https = ").Append(Https is null ? "null" : EndpointRedactor.Redact(Https));
        builder.Append(", NoProxy = [").AppendJoin(", ", NoProxy).Append("], Skip = ").Append(Skip);
        return true;
    }
}
