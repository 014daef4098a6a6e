using System.Text.RegularExpressions;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Webhook;

namespace FalcoCheck.Configuration;

/// <summary>
/// The settings of the HTTP alert sinks that are not Datadog's: <c>alertmanager</c> and <c>webhook</c>. Both take
/// the metrics sinks' auth and TLS keys (<see cref="NetworkSinkReader"/>); routing keys are read before, for every type.
/// </summary>
internal static partial class AlertHttpSinkReader
{
    public static readonly string[] AlertmanagerKeys =
        ["type", NetworkSinkReader.Url, "expires_after", "extra_labels", "timeout", .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys];

    public static readonly string[] WebhookKeys =
        ["type", NetworkSinkReader.Url, "format", "timeout", .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys];

    public static IReadOnlyList<string> WebhookFormats { get; } = ["json", "slack", "mattermost", "teams"];

    private static readonly string[] Schemes = ["http", "https"];

    public static AlertmanagerSinkConfig? ReadAlertmanager(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        var endpoint = NetworkSinkReader.Endpoint(map);
        TimeSpan? expires = map.Seconds("expires_after");

        IReadOnlyDictionary<string, string>? labels = map.StringMap("extra_labels");
        foreach (string name in labels?.Keys ?? [])
        {
            if (!LabelName().IsMatch(name))
            {
                map.Error("extra_labels", $"label name '{name}' is not a valid Alertmanager label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        }

        TimeSpan timeout = map.Seconds("timeout") ?? AlertmanagerOptions.DefaultTimeout;
        if (map.Context.ErrorCount != errors || endpoint is null)
        {
            return null;
        }

        return new AlertmanagerSinkConfig(map.Position, new AlertmanagerOptions
        {
            Endpoint = endpoint,
            ExpiresAfter = expires,
            ExtraLabels = labels ?? new Dictionary<string, string>(),
            Timeout = timeout,
        });
    }

    public static WebhookSinkConfig? ReadWebhook(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;

        // ValueReader.Url never quotes the text back, which matters here: the URL's path is the webhook's token.
        Uri? url = map.Require(NetworkSinkReader.Url) ? map.Url(NetworkSinkReader.Url, Schemes) : null;
        var endpoint = url is null ? null : NetworkSinkReader.Endpoint(map, url, withAuth: true) with { DisplayName = WebhookOptions.DisplayName(url) };
        WebhookFormat format = map.OneOf("format", WebhookFormats) switch
        {
            "slack" => WebhookFormat.Slack,
            "mattermost" => WebhookFormat.Mattermost,
            "teams" => WebhookFormat.Teams,
            _ => WebhookFormat.Json,
        };
        TimeSpan timeout = map.Seconds("timeout") ?? WebhookOptions.DefaultTimeout;
        return map.Context.ErrorCount == errors && endpoint is not null
            ? new WebhookSinkConfig(map.Position, new WebhookOptions { Endpoint = endpoint, Format = format, Timeout = timeout })
            : null;
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
