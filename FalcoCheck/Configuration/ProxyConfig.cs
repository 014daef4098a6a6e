using System.Text;

namespace FalcoCheck.Configuration;

/// <summary>
/// Proxies for HTTP and HTTPS targets and the hosts that bypass them. A proxy URL may carry
/// <c>user:password@</c>, so the printed form goes through <see cref="EndpointRedactor"/>.
/// </summary>
internal sealed record ProxyConfig(Uri? Http, Uri? Https, IReadOnlyList<string> NoProxy)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Http = ").Append(Http is null ? "null" : EndpointRedactor.Redact(Http));
        builder.Append(", Https = ").Append(Https is null ? "null" : EndpointRedactor.Redact(Https));
        builder.Append(", NoProxy = [").AppendJoin(", ", NoProxy).Append(']');
        return true;
    }
}
