namespace FalcoCheck.Configuration;

/// <summary>
/// Every option table, by the name <c>falcocheck config example SECTION</c> takes, in the order the files have them.
/// A plain list: sections are found without reflection (NativeAOT).
/// </summary>
internal static class ConfigSections
{
    public static IReadOnlyList<OptionSection> All { get; } =
    [
        AgentConfigReader.Section, DaemonConfigReader.StatusSection, KubernetesConfigReader.Section, CheckConfigReader.Section, InitConfigReader.Section,
        InstanceConfigReader.Section, ProxyConfigReader.Section, DatadogCompatibility.PatternSection, AuthTokenReader.Section, AuthTokenReader.ReaderSection,
        AuthTokenReader.WriterSection, MetricFilterReader.Definition, LogInputReader.Section,
        .. SinkConfigReader.Types, AlertsConfigReader.Section, AlertsConfigReader.HttpSection, .. AlertsConfigReader.SinkTypes, AlertRouteReader.Section,
    ];

    public static OptionSection? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
