namespace FalcoCheck.Configuration;

/// <summary>
/// Options Datadog's Falco check and OpenMetrics V2 accept that have no effect in FalcoCheck, each with what
/// FalcoCheck does instead. They are notices, never errors, so an existing Datadog conf.yaml loads as it is
/// and the user still learns which lines do nothing. Sources: the Falco integration's conf.yaml.example and
/// datadog_checks_base's OpenMetrics V2 and HTTP option lists. Options with a meaning here are read, not listed.
/// </summary>
internal static class DatadogOnlyOptions
{
    private const string NoHistograms = "Falco exposes no histograms; histograms named in extra_metrics are sent as .sum, .count and .bucket counts";
    private const string OtherAuth = "FalcoCheck authenticates with basic (username and password), auth_token or a client certificate";
    private const string LegacyV1 = "an OpenMetrics V1 option; FalcoCheck reads the V2 options (openmetrics_endpoint, extra_metrics, exclude_metrics)";

    public static IReadOnlyDictionary<string, string> Instance { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["namespace"] = "metric names always start with falco.",
        ["share_labels"] = "info_tags adds Falco's version, kernel and engine to every series; rename_labels and include_labels shape the rest",
        ["cache_shared_labels"] = "there is no share_labels here (see info_tags)",
        ["raw_line_filters"] = "every line is parsed; drop series with exclude_metrics or exclude_metrics_by_labels",
        ["cache_metric_wildcards"] = "each series' name and tags are always cached after its first scrape",
        ["telemetry"] = "falcocheck run always sends its own falco.check.* metrics, and falcocheck status shows them",
        ["hostname_format"] = "hostname_label takes the label's value as the host name as it is",
        ["collect_histogram_buckets"] = NoHistograms,
        ["non_cumulative_histogram_buckets"] = NoHistograms,
        ["histogram_buckets_as_distributions"] = NoHistograms,
        ["collect_counters_with_distributions"] = NoHistograms,
        ["use_process_start_time"] = "counter resets are read from Falco's own start and reload timestamps",
        ["empty_default_hostname"] = "series carry the agent's host name (hostname or DD_HOSTNAME in falcocheck.yaml)",
        ["disable_generic_tags"] = "FalcoCheck adds no generic tags (only endpoint, service and what tags and info_tags ask for)",
        ["exclude_labels_regex"] = "exclude_labels takes exact label names",
        ["type_overrides"] = LegacyV1,
        ["label_joins"] = LegacyV1,
        ["label_to_hostname"] = LegacyV1,
        ["send_histograms_buckets"] = LegacyV1,
        ["send_monotonic_counter"] = LegacyV1,
        ["send_distribution_buckets"] = LegacyV1,
        ["prometheus_url"] = LegacyV1,
        ["prometheus_metrics_prefix"] = LegacyV1,
        ["use_legacy_auth_encoding"] = "basic auth credentials are always encoded as UTF-8",
        ["ntlm_domain"] = OtherAuth,
        ["kerberos_auth"] = OtherAuth,
        ["kerberos_cache"] = OtherAuth,
        ["kerberos_delegate"] = OtherAuth,
        ["kerberos_force_initiate"] = OtherAuth,
        ["kerberos_hostname"] = OtherAuth,
        ["kerberos_keytab"] = OtherAuth,
        ["kerberos_principal"] = OtherAuth,
        ["aws_region"] = OtherAuth,
        ["aws_host"] = OtherAuth,
        ["aws_service"] = OtherAuth,
        ["tls_use_host_header"] = "the TLS server name is always the endpoint's host",
        ["tls_validate_hostname"] = "the host name is checked whenever tls_verify is true",
        ["request_size"] = "the body is read into one buffer bounded by max_response_size",
        ["log_requests"] = "each scrape is logged at debug level (log_level: debug in falcocheck.yaml)",
        ["persist_connections"] = "each instance keeps its connection to the endpoint open between runs",
        ["use_agent_proxy"] = "the proxy comes from the instance's or init_config's proxy, else the environment",
    };

    public static IReadOnlyDictionary<string, string> InitConfig { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["log_requests"] = Instance["log_requests"],
        ["use_agent_proxy"] = Instance["use_agent_proxy"],
        ["tls_ciphers"] = "set tls_ciphers on each instance",
        ["tls_protocols_allowed"] = "set tls_protocols_allowed on each instance",
    };

    /// <summary>Top level of conf.yaml: Autodiscovery and log collection belong to the Datadog Agent itself.</summary>
    public static IReadOnlyDictionary<string, string> CheckFile { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ad_identifiers"] = "FalcoCheck does not run Autodiscovery; the instances come from this file",
        ["discovery"] = "FalcoCheck does not run Autodiscovery; the instances come from this file",
    };
}
