using FalcoCheck.Sinks.Delivery;
using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// The options of an outgoing connection, declared once for every network sink and the instances (which take the
/// authentication and TLS ones): the endpoint's URL, authentication, TLS, and the sinks' delivery (timeouts, retries,
/// queue, spool).
/// </summary>
internal static class ConnectionOptionsReader
{
    /// <summary>A spool of a terabyte is a typo; 0 turns the spool off.</summary>
    public const long SpoolSizeLimit = 1L << 40;

    public static string[] HttpSchemes => field ??= ["http", "https"];

    public static TextOption<Uri> Url => field ??= Declare.Url("url", HttpSchemes, "the backend's URL", "http://127.0.0.1:9090/api/v1/write", required: true);

    // Datadog sends basic auth only when both are set; silently sending neither is a classic 401 mystery.
    public static TextOption<string> Username => field ??= Text("username", "HTTP basic auth user; needs `password`").Needing("password");
    public static TextOption<Secret> Password => field ??= SecretText("password", "HTTP basic auth password (never printed)", "\"%%env_SINK_PASSWORD%%\"")
        .Needing("username");
    public static TextOption<Secret> BearerToken => field ??= SecretText("bearer_token", "sent as `Authorization: Bearer …` (never printed)", "\"%%env_SINK_TOKEN%%\"")
        .Excluding("password", "both set the Authorization header");
    public static TextOption<IReadOnlyDictionary<string, string>> Headers => field ??= Declare.Headers("headers",
        "extra request headers (hosted backends' keys); values never printed", "\n  X-Scope-OrgID: <TENANT>");

    public static ValueOption<bool> TlsVerify => field ??= Bool("tls_verify", true, "verify the server certificate");
    public static TextOption<string> TlsCaCert => field ??= FilePath("tls_ca_cert", "PEM file of the CA(s) to trust", "<CA_CERT_PATH>", "system roots");
    public static TextOption<string> TlsCert => field ??= FilePath("tls_cert", "client certificate (PEM); with `tls_private_key`", "<CERT_PATH>");
    public static TextOption<string> TlsPrivateKey => field ??= FilePath("tls_private_key", "the client certificate's key (PEM); needs `tls_cert`", "<PRIVATE_KEY_PATH>")
        .Needing("tls_cert");

    // Defaults never make a config invalid: an unwritten backoff adapts to the written one (a written initial backoff
    // above 30 s raises the default maximum; a written maximum below 1 s lowers the default initial).
    public static ValueOption<TimeSpan> Timeout => field ??= Seconds("timeout", DeliveryOptions.DefaultTimeout.TotalSeconds, "seconds per request");
    public static ValueOption<long> MaxRetries => field ??= Integer("max_retries", DeliveryOptions.DefaultMaxRetries, 0, 100,
        "retries of one request before the batch waits `retry_max_backoff` and its round starts again");
    public static ValueOption<TimeSpan> RetryInitialBackoff => field ??= Seconds("retry_initial_backoff", DeliveryOptions.DefaultRetryInitialBackoff.TotalSeconds,
        "seconds before the first retry; doubles per retry up to `retry_max_backoff`", rule: "1, or `retry_max_backoff` if shorter", derivedFrom: ["retry_max_backoff"]);
    public static ValueOption<TimeSpan> RetryMaxBackoff => field ??= Seconds("retry_max_backoff", DeliveryOptions.DefaultRetryMaxBackoff.TotalSeconds,
        "longest wait between retries, in seconds", rule: "30, or `retry_initial_backoff` if longer", derivedFrom: ["retry_initial_backoff"]);
    public static ValueOption<long> QueueSize => field ??= Integer("queue_size", DeliveryOptions.DefaultQueueSize, 1, 10_000_000,
        "series points and service checks waiting in memory; beyond it, the oldest go to the spool");
    public static ValueOption<TimeSpan> FlushTimeout => field ??= Seconds("flush_timeout", DeliveryOptions.DefaultFlushTimeout.TotalSeconds,
        "seconds a run waits for its delivery, and shutdown for the queue to drain");
    public static ValueOption<long> SpoolMaxSize => field ??= Bytes("spool_max_size", DeliveryOptions.DefaultSpoolMaxBytes, 0, SpoolSizeLimit,
        "bytes of disk spool under `state_dir/spool/` for batches that do not fit the queue; 0 turns it off");

    public static ConfigOption[] Auth => field ??= [Username, Password, BearerToken, Headers];

    public static ConfigOption[] Tls => field ??= [TlsVerify, TlsCaCert, TlsCert, TlsPrivateKey];

    public static ConfigOption[] Delivery => field ??= [Timeout, MaxRetries, RetryInitialBackoff, RetryMaxBackoff, QueueSize, FlushTimeout, SpoolMaxSize];

    public static DeliveryOptions ReadDelivery(ConfigMapping map)
    {
        TimeSpan? initial = RetryInitialBackoff.Written(map);
        TimeSpan? max = RetryMaxBackoff.Written(map);
        var delivery = new DeliveryOptions
        {
            Timeout = Timeout.Read(map),
            MaxRetries = (int)MaxRetries.Read(map),
            RetryInitialBackoff = initial ?? (max < DeliveryOptions.DefaultRetryInitialBackoff ? max.Value : DeliveryOptions.DefaultRetryInitialBackoff),
            RetryMaxBackoff = max ?? (initial > DeliveryOptions.DefaultRetryMaxBackoff ? initial.Value : DeliveryOptions.DefaultRetryMaxBackoff),
            QueueSize = (int)QueueSize.Read(map),
            FlushTimeout = FlushTimeout.Read(map),
            SpoolMaxBytes = SpoolMaxSize.Read(map),
        };
        if (initial > max)
        {
            map.Error(RetryInitialBackoff.Name, $"{ValueReader.SecondsText(initial.Value)} s is longer than {RetryMaxBackoff} "
                + $"({ValueReader.SecondsText(max!.Value)} s, at {map.PositionOf(RetryMaxBackoff.Name)})");
        }

        return delivery;
    }

    /// <summary>The required <c>url</c> with its auth and TLS; null after an error.</summary>
    public static HttpEndpointOptions? Endpoint(ConfigMapping map, TextOption<Uri>? url = null) =>
        (url ?? Url).Read(map) is { } written ? Endpoint(map, written, withAuth: true) : null;

    public static HttpEndpointOptions Endpoint(ConfigMapping map, Uri url, bool withAuth)
    {
        ClientTlsOptions tls = ReadTls(map);
        var headers = withAuth ? Headers.Read(map) : null;
        return new HttpEndpointOptions
        {
            Url = url,
            DisplayName = EndpointRedactor.Redact(url),
            Username = withAuth ? Username.Read(map) : null,
            Password = withAuth ? Password.Read(map) : null,
            BearerToken = withAuth ? BearerToken.Read(map) : null,
            Headers = headers?.ToDictionary(h => h.Key, h => new Secret(h.Value), StringComparer.OrdinalIgnoreCase) ?? new Dictionary<string, Secret>(),
            TlsVerify = tls.Verify,
            TlsCaCert = tls.CaCert,
            TlsCert = tls.Cert,
            TlsPrivateKey = tls.PrivateKey,
            Proxy = map.Context.OutboundProxy,
        };
    }

    /// <summary>The <c>tls_*</c> options, for HTTP sinks and sinks that open their own connection alike.</summary>
    public static ClientTlsOptions ReadTls(ConfigMapping map) => new()
    {
        Verify = TlsVerify.Read(map),
        CaCert = TlsCaCert.Read(map),
        Cert = TlsCert.Read(map),
        PrivateKey = TlsPrivateKey.Read(map),
    };
}
