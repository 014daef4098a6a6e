using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Configuration;

/// <summary>
/// The settings every network sink shares: delivery (timeouts, retries, queue) and, for HTTP sinks, the
/// endpoint's authentication and TLS. Key names follow the instance options (<c>username</c>, <c>tls_verify</c>…).
/// </summary>
internal static class NetworkSinkReader
{
    public const string Url = "url";

    public static readonly string[] DeliveryKeys = ["timeout", "max_retries", "retry_initial_backoff", "retry_max_backoff", "queue_size", "flush_timeout", "spool_max_size"];

    public static readonly string[] TlsKeys = ["tls_verify", "tls_ca_cert", "tls_cert", "tls_private_key"];

    public static readonly string[] AuthKeys = ["username", "password", "bearer_token", "headers"];

    private static readonly string[] Schemes = ["http", "https"];

    /// <summary>Retries of one request: more than this is a typo (the queue retries beyond it anyway).</summary>
    private const int MaxRetriesLimit = 100;

    /// <summary>Queued items: 10 million points is gigabytes of memory; more is a typo.</summary>
    private const int QueueSizeLimit = 10_000_000;

    /// <summary>A spool of a terabyte is a typo; 0 turns the spool off.</summary>
    public const long SpoolSizeLimit = 1L << 40;

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public static DeliveryOptions Delivery(ConfigMapping map)
    {
        var defaults = new DeliveryOptions();

        // Defaults never make a config invalid: an unwritten backoff adapts to the written one (a written initial
        // backoff above 30 s raises the default maximum; a written maximum below 1 s lowers the default initial).
        TimeSpan? initial = map.Seconds("retry_initial_backoff");
        TimeSpan? max = map.Seconds("retry_max_backoff");
        var delivery = new DeliveryOptions
        {
            Timeout = map.Seconds("timeout") ?? defaults.Timeout,
            MaxRetries = (int)(map.Integer("max_retries", 0, MaxRetriesLimit) ?? defaults.MaxRetries),
            RetryInitialBackoff = initial ?? (max < defaults.RetryInitialBackoff ? max.Value : defaults.RetryInitialBackoff),
            RetryMaxBackoff = max ?? (initial > defaults.RetryMaxBackoff ? initial.Value : defaults.RetryMaxBackoff),
            QueueSize = (int)(map.Integer("queue_size", 1, QueueSizeLimit) ?? defaults.QueueSize),
            FlushTimeout = map.Seconds("flush_timeout") ?? defaults.FlushTimeout,
            SpoolMaxBytes = map.Integer("spool_max_size", 0, SpoolSizeLimit) ?? defaults.SpoolMaxBytes,
        };
        if (initial > max)
        {
            map.Error("retry_initial_backoff", $"{Seconds(initial.Value)} s is longer than retry_max_backoff ({Seconds(max!.Value)} s, at {map.PositionOf("retry_max_backoff")})");
        }

        return delivery;
    }

    /// <summary>The required <c>url</c> with its auth and TLS; null after an error.</summary>
    public static HttpEndpointOptions? Endpoint(ConfigMapping map, bool withAuth = true)
    {
        Uri? url = map.Require(Url) ? map.Url(Url, Schemes) : null;
        return url is null ? null : Endpoint(map, url, withAuth);
    }

    public static HttpEndpointOptions Endpoint(ConfigMapping map, Uri url, bool withAuth)
    {
        if (withAuth)
        {
            RequireUserAndPassword(map);

            if (map.Has("password") && map.Has("bearer_token"))
            {
                map.Error("bearer_token", "bearer_token and username/password both set the Authorization header; use one of them");
            }
        }

        if (map.Has("tls_private_key") && !map.Has("tls_cert"))
        {
            map.Error("tls_private_key", "tls_cert is required when tls_private_key is set");
        }

        var headers = withAuth ? map.StringMap("headers", comparer: StringComparer.OrdinalIgnoreCase) : null;
        return new HttpEndpointOptions
        {
            Url = url,
            DisplayName = EndpointRedactor.Redact(url),
            Username = withAuth ? map.String("username") : null,
            Password = withAuth ? map.Secret("password") : null,
            BearerToken = withAuth ? map.Secret("bearer_token") : null,
            Headers = headers?.ToDictionary(h => h.Key, h => new Secret(h.Value), StringComparer.OrdinalIgnoreCase) ?? new Dictionary<string, Secret>(),
            TlsVerify = map.Bool("tls_verify") ?? true,
            TlsCaCert = map.FilePath("tls_ca_cert"),
            TlsCert = map.FilePath("tls_cert"),
            TlsPrivateKey = map.FilePath("tls_private_key"),
            Proxy = map.Context.OutboundProxy,
        };
    }

    /// <summary><c>username</c> and <c>password</c> come together or not at all.</summary>
    public static void RequireUserAndPassword(ConfigMapping map)
    {
        if (map.Has("username") != map.Has("password"))
        {
            string present = map.Has("username") ? "username" : "password";
            map.Error(present, $"{(present == "username" ? "password" : "username")} is required when {present} is set");
        }
    }

    /// <summary>The <c>tls_*</c> keys of a sink that opens its own connection (not through HTTP).</summary>
    public static ClientTlsOptions Tls(ConfigMapping map)
    {
        if (map.Has("tls_private_key") && !map.Has("tls_cert"))
        {
            map.Error("tls_private_key", "tls_cert is required when tls_private_key is set");
        }

        return new ClientTlsOptions
        {
            Verify = map.Bool("tls_verify") ?? true,
            CaCert = map.FilePath("tls_ca_cert"),
            Cert = map.FilePath("tls_cert"),
            PrivateKey = map.FilePath("tls_private_key"),
        };
    }
}
