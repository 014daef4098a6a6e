using FalcoCheck.Configuration;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Where an HTTP sink sends and how it authenticates. Credentials are <see cref="Secret"/>s, so this record's
/// generated <c>ToString</c> cannot print them.
/// </summary>
internal sealed record HttpEndpointOptions
{
    public required Uri Url { get; init; }

    /// <summary>The URL as it may be shown: no user-info, no query (EndpointRedactor).</summary>
    public required string DisplayName { get; init; }

    /// <summary>HTTP basic auth user; sent only with <see cref="Password"/>.</summary>
    public string? Username { get; init; }

    public Secret? Password { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c>.</summary>
    public Secret? BearerToken { get; init; }

    /// <summary>Extra request headers (API keys of hosted backends); values are treated as secrets.</summary>
    public IReadOnlyDictionary<string, Secret> Headers { get; init; } = new Dictionary<string, Secret>();

    public bool TlsVerify { get; init; } = true;

    /// <summary>PEM file of the CA(s) to trust instead of the system roots.</summary>
    public string? TlsCaCert { get; init; }

    /// <summary>Client certificate (PEM) and its key, for mutual TLS.</summary>
    public string? TlsCert { get; init; }

    public string? TlsPrivateKey { get; init; }

    /// <summary>The agent's <c>proxy:</c> / <c>skip_proxy</c> (DD_PROXY_*); null uses the environment's proxy.</summary>
    public Scraping.OutboundProxy? Proxy { get; init; }

    /// <summary>The secret texts of this endpoint, to be cut out of anything quoted back from the server.</summary>
    public IEnumerable<Secret> Secrets()
    {
        if (Password is not null)
        {
            yield return Password;
        }

        if (BearerToken is not null)
        {
            yield return BearerToken;
        }

        foreach (var header in Headers.Values)
        {
            yield return header;
        }

        // A query may carry a key (?dd-api-key=…): each pair, as written and decoded, as a server would quote it back,
        // and a value of eight characters or more alone ("invalid API key …"); shorter ones (tenant=a) are not worth
        // cutting from every message.
        foreach (string pair in Url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return new Secret(pair);
            string decoded = Uri.UnescapeDataString(pair);
            if (decoded != pair)
            {
                yield return new Secret(decoded);
            }

            if (decoded.IndexOf('=', StringComparison.Ordinal) is int equals and >= 0 && decoded.Length - equals - 1 >= 8)
            {
                yield return new Secret(decoded[(equals + 1)..]);
            }
        }
    }
}
