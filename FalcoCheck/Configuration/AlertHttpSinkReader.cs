using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Webhook;

namespace FalcoCheck.Configuration;

/// <summary>
/// The settings of the HTTP alert sinks that are not Datadog's: <c>alertmanager</c> and <c>webhook</c>. Both take
/// the metrics sinks' auth and TLS keys (<see cref="NetworkSinkReader"/>); routing keys are read before, for every type.
/// </summary>
internal static class AlertHttpSinkReader
{
    public static IReadOnlyList<string> WebhookFormats { get; } = ["json", "slack", "mattermost", "teams"];

    private static readonly TextOption<Uri> AlertmanagerUrl = Declare.Url("url", NetworkSinkReader.HttpSchemes,
        "Alertmanager's base URL (with its route prefix if any); the sink appends `api/v2/alerts`", "http://127.0.0.1:9093", required: true);
    private static readonly ValueOption<TimeSpan> ExpiresAfter = Declare.Seconds("expires_after", null,
        "seconds (at most a day) until `endsAt`; Falcosidekick's `expiresafter`", "3600", "none");
    private static readonly TextOption<IReadOnlyDictionary<string, string>> ExtraLabels = Declare.StringMap("extra_labels",
        "fixed labels (`cluster: prod-eu`); names `[a-zA-Z_][a-zA-Z0-9_]*`", "\n  cluster: prod-eu");
    private static readonly TextOption<Uri> WebhookUrl = Declare.Url("url", NetworkSinkReader.HttpSchemes,
        "the webhook's URL (its path is often its token: never printed)", "\"%%env_SLACK_WEBHOOK_URL%%\"", required: true);
    private static readonly TextOption<string> Format = Declare.OneOf("format", WebhookFormats, "json", "`json`, `slack`, `mattermost` or `teams`");
    private static readonly ValueOption<TimeSpan> AlertmanagerTimeout = AlertsConfigReader.Timeout(AlertmanagerOptions.DefaultTimeout);
    private static readonly ValueOption<TimeSpan> WebhookTimeout = AlertsConfigReader.Timeout(WebhookOptions.DefaultTimeout);

    public static OptionSection Alertmanager { get; } = AlertsConfigReader.Sink(AlertmanagerSinkConfig.TypeName, "Alertmanager's v2 API",
        [AlertmanagerUrl, ExpiresAfter, ExtraLabels, AlertmanagerTimeout, .. NetworkSinkReader.Auth, .. NetworkSinkReader.Tls]);

    public static OptionSection Webhook { get; } = AlertsConfigReader.Sink(WebhookSinkConfig.TypeName, "a webhook: JSON, Slack, Mattermost or Teams",
        [WebhookUrl, Format, WebhookTimeout, .. NetworkSinkReader.Auth, .. NetworkSinkReader.Tls]);

    public static AlertmanagerSinkConfig? ReadAlertmanager(ConfigMapping map)
    {
        var endpoint = NetworkSinkReader.Endpoint(map, AlertmanagerUrl);
        TimeSpan? expires = ExpiresAfter.Written(map);

        IReadOnlyDictionary<string, string>? labels = ExtraLabels.Read(map);
        foreach (string name in labels?.Keys ?? [])
        {
            if (!AlertsConfigReader.IsLabelName(name))
            {
                map.Error(ExtraLabels.Name, $"label name '{name}' is not a valid Alertmanager label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        }

        return endpoint is null ? null : new AlertmanagerSinkConfig(map.Position, new AlertmanagerOptions
        {
            Endpoint = endpoint,
            ExpiresAfter = expires,
            ExtraLabels = labels ?? new Dictionary<string, string>(),
            Timeout = AlertmanagerTimeout.Read(map),
        });
    }

    public static WebhookSinkConfig? ReadWebhook(ConfigMapping map)
    {
        // ValueReader.Url never quotes the text back, which matters here: the URL's path is the webhook's token.
        Uri? url = WebhookUrl.Read(map);
        var endpoint = url is null ? null : NetworkSinkReader.Endpoint(map, url, withAuth: true) with { DisplayName = WebhookOptions.DisplayName(url) };
        WebhookFormat format = Format.Read(map) switch
        {
            "slack" => WebhookFormat.Slack,
            "mattermost" => WebhookFormat.Mattermost,
            "teams" => WebhookFormat.Teams,
            _ => WebhookFormat.Json,
        };
        return endpoint is null ? null : new WebhookSinkConfig(map.Position, new WebhookOptions { Endpoint = endpoint, Format = format, Timeout = WebhookTimeout.Read(map) });
    }
}
