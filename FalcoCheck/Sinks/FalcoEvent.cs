namespace FalcoCheck.Sinks;

/// <summary>
/// Something that happened to Falco, worth a line in an event stream: a Datadog event, or a log line elsewhere
/// (for example "rules file falco_rules.yaml changed on host node-1").
/// </summary>
/// <param name="Name">What kind of event, e.g. <c>falco.rules.file.changed</c>.</param>
/// <param name="Timestamp">Unix seconds.</param>
/// <param name="AlertType">Datadog's alert_type: info, warning, error or success.</param>
internal sealed record FalcoEvent(string Name, string Title, string Text, long Timestamp, string Host, string[] Tags, string AlertType = "info");
