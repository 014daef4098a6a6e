namespace FalcoCheck.Configuration;

/// <summary>
/// Options Datadog's OpenMetrics V2 check and HTTP wrapper accept that FalcoCheck does not implement. Naming
/// them ("a Datadog option FalcoCheck does not support") tells a user migrating a conf.yaml that the key is
/// right but the feature is missing, which "unknown setting" would not. Source: the Falco integration's
/// conf.yaml.example and datadog_checks_base's openmetrics/v2 and http.py option lists.
/// </summary>
internal static class DatadogOnlyOptions
{
    public static IReadOnlySet<string> Instance { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Metric handling in OpenMetrics V2 that Falco's flat counters and gauges never need.
        "namespace", "metrics", "metric_patterns", "share_labels", "cache_shared_labels", "raw_line_filters",
        "cache_metric_wildcards", "telemetry", "ignore_tags", "hostname_format", "collect_histogram_buckets",
        "non_cumulative_histogram_buckets", "histogram_buckets_as_distributions",
        "collect_counters_with_distributions", "use_process_start_time", "empty_default_hostname",
        "exclude_labels_regex", "type_overrides", "label_joins", "label_to_hostname", "send_histograms_buckets",
        "send_monotonic_counter", "send_distribution_buckets", "prometheus_url", "prometheus_metrics_prefix",

        // HTTP wrapper options outside FalcoCheck's basic / token / TLS support.
        "use_legacy_auth_encoding", "ntlm_domain", "kerberos_auth", "kerberos_cache", "kerberos_delegate",
        "kerberos_force_initiate", "kerberos_hostname", "kerberos_keytab", "kerberos_principal", "aws_region",
        "aws_host", "aws_service", "tls_use_host_header", "tls_ignore_warning", "tls_protocols_allowed",
        "tls_ciphers", "tls_validate_hostname", "request_size", "log_requests", "persist_connections",
        "allow_redirects", "use_agent_proxy",
    };

    public static IReadOnlySet<string> InitConfig { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "log_requests", "use_agent_proxy", "tls_ciphers", "tls_protocols_allowed",
    };

    /// <summary>Top level of conf.yaml: Autodiscovery and log collection belong to the Datadog Agent itself.</summary>
    public static IReadOnlySet<string> CheckFile { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ad_identifiers", "logs",
    };
}
