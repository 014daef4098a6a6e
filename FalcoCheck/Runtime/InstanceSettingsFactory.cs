using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Scraping;

namespace FalcoCheck.Runtime;

/// <summary>Resolves an instance's configuration into the options of each stage (the only place that reads both).</summary>
internal static class InstanceSettingsFactory
{
    /// <summary>The settings of every instance of a file, in order; a second instance of one endpoint is its occurrence 2, and so on.</summary>
    public static List<InstanceSettings> CreateAll(IReadOnlyList<InstanceConfig> instances, AgentConfig agent)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new List<InstanceSettings>(instances.Count);
        foreach (var instance in instances)
        {
            var settings = Create(instance, agent);
            var occurrence = seen[settings.Endpoint] = seen.GetValueOrDefault(settings.Endpoint) + 1;
            all.Add(occurrence == 1 ? settings : settings with { Occurrence = occurrence });
        }

        return all;
    }

    public static InstanceSettings Create(InstanceConfig instance, AgentConfig agent)
    {
        var name = instance.Name;
        var tags = new List<string>(instance.Tags);
        tags.AddRange(agent.Tags);
        if (instance.Service is { Length: > 0 } service)
        {
            tags.Add("service:" + service);
        }

        if (instance.TagByEndpoint)
        {
            tags.Add("endpoint:" + name);
        }

        var mapping = new MappingOptions
        {
            InstanceTags = tags,
            ExtraMetrics = [.. instance.ExtraMetrics.Select(ToRule)],
            ExcludeMetrics = [.. instance.ExcludeMetrics.Select(MappingOptions.CompilePattern)],
            IncludeMetrics = [.. instance.IncludeMetrics.Select(MappingOptions.CompilePattern)],
            ExcludeMetricsByLabels = instance.ExcludeMetricsByLabels.ToDictionary(
                pair => pair.Key,
                pair => pair.Value.AllValues ? null : new HashSet<string>(pair.Value.Values, StringComparer.Ordinal),
                StringComparer.Ordinal),
            ExcludeLabels = new HashSet<string>(instance.ExcludeLabels, StringComparer.Ordinal),
            IncludeLabels = new HashSet<string>(instance.IncludeLabels, StringComparer.Ordinal),
            RenameLabels = new Dictionary<string, string>(instance.RenameLabels, StringComparer.Ordinal),
            RawMetricPrefix = instance.RawMetricPrefix,
            HostnameLabel = instance.HostnameLabel,
            ExtendedMetrics = instance.ExtendedMetrics,
            InfoTags = instance.InfoTags,
            RuleTags = instance.RuleTags switch
            {
                "labels" => RuleTagMode.Labels,
                "drop" => RuleTagMode.Drop,
                _ => RuleTagMode.Fold,
            },
            MaxSeriesPerScrape = instance.MaxSeriesPerScrape,
            Parser = new TextParserOptions(
                instance.MaxLineBytes, instance.MaxLabelsPerSeries, instance.MaxLabelNameBytes, instance.MaxLabelValueBytes, StrictOpenMetrics: instance.OpenMetricsStrict),
        };

        var scraper = new ScraperOptions
        {
            Endpoint = instance.OpenMetricsEndpoint,
            DisplayName = name,
            ConnectTimeout = instance.ConnectTimeout,
            ReadTimeout = instance.ReadTimeout,
            MaxResponseBytes = instance.MaxResponseBytes,
            PreferOpenMetrics = instance.UseLatestSpec,
            Headers = instance.Headers,
            ExtraHeaders = instance.ExtraHeaders,
            Username = instance.Username,
            Password = instance.Password?.Reveal(),
            AuthToken = instance.AuthToken is { } token
                ? new AuthTokenSource(token.ReaderPath, token.ReaderPattern is { } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null, token.HeaderName, token.ValueTemplate, token.Placeholder)
                : null,
            TlsVerify = instance.TlsVerify,
            TlsCaCert = instance.TlsCaCert,
            TlsCert = instance.TlsCert,
            TlsPrivateKey = instance.TlsPrivateKey,
            SkipProxy = instance.SkipProxy,
            Proxy = ToProxy(instance.Proxy, instance.OpenMetricsEndpoint),
            AllowRedirects = instance.AllowRedirects,
            TlsProtocols = instance.TlsProtocols,
            TlsCiphers = instance.TlsCiphers,
        };

        var healthTags = new List<string>();
        if (instance.TagByEndpoint)
        {
            healthTags.Add("endpoint:" + name);
        }

        healthTags.AddRange(instance.Tags);
        healthTags.AddRange(agent.Tags);
        return new InstanceSettings
        {
            Index = instance.Index,
            Name = name,
            Endpoint = instance.OpenMetricsEndpoint.ToString(),
            Host = agent.Hostname,
            MinCollectionInterval = instance.MinCollectionInterval,
            Scraper = scraper,
            Mapping = mapping,
            EnableHealthServiceCheck = instance.EnableHealthServiceCheck,
            IgnoreConnectionErrors = instance.IgnoreConnectionErrors,
            MaxRules = instance.MaxRules,
            Counters = new CounterStateOptions { MaxContexts = instance.MaxCounterContexts, SeriesIdentity = SeriesIdentity(mapping, agent.Hostname) },
            HealthTags = [.. healthTags],
        };
    }

    /// <summary>
    /// A fingerprint of what makes the submitted names and tags: when it changes, the counters kept before are under
    /// other keys, and a counter seen for the first time may be an old one renamed (see CounterState.BeginRun).
    /// </summary>
    private static string SeriesIdentity(MappingOptions mapping, string host)
    {
        var text = new StringBuilder(host).Append('\n');
        AppendSorted(text, mapping.InstanceTags);
        AppendSorted(text, mapping.ExcludeLabels);
        AppendSorted(text, mapping.IncludeLabels);
        AppendSorted(text, mapping.RenameLabels.Select(pair => pair.Key + "=" + pair.Value));
        foreach (var rule in mapping.ExtraMetrics)
        {
            text.Append(rule.Match).Append('>').Append(rule.SentName).Append(':').Append(rule.TypeOverride).Append('\u001f');
        }

        text.Append('\n').Append(mapping.RawMetricPrefix).Append('\n').Append(mapping.HostnameLabel).Append('\n')
            .Append(mapping.InfoTags).Append(' ').Append(mapping.RuleTags).Append(' ').Append(mapping.ExtendedMetrics);
        return Convert.ToHexStringLower(ManagedSha256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static void AppendSorted(StringBuilder text, IEnumerable<string> items)
    {
        foreach (var item in items.Order(StringComparer.Ordinal))
        {
            text.Append(item).Append('\u001f');
        }

        text.Append('\n');
    }

    private static ExtraMetricRule ToRule(ExtraMetric metric) =>
        new(metric.IsRegex
                ? new Regex("^(?:" + metric.Pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
                : MappingOptions.CompilePattern(metric.Pattern),
            metric.Name,
            metric.Type);

    private static WebProxy? ToProxy(OutboundProxy? proxy, Uri endpoint) => proxy?.For(endpoint);
}
