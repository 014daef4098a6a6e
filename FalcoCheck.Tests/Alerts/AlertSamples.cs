using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The real alerts of samples/alerts and Datadog's log test sample, read from the repository.</summary>
internal static class AlertSamples
{
    public static string Folder => Path.Combine(RepoPaths.Root, "samples", "alerts");

    /// <summary>Falco's documented alert, one line, as Falco writes it (flat output_fields, Critical).</summary>
    public static string OneLine => File.ReadAllText(Path.Combine(Folder, "alert-json_falco-docs-outputs-channels_oneline.json")).Trim();

    /// <summary>The same alert pretty-printed, keys in another order.</summary>
    public static string Pretty => File.ReadAllText(Path.Combine(Folder, "alert-json_falco-docs-outputs-channels_pretty.json"));

    public static string DatadogTestsYaml => Path.Combine(RepoPaths.Root, "samples", "reference", "datadog", "falco", "assets", "logs", "falco_tests.yaml");

    public static AlertContext Context(TimeProvider? clock = null) =>
        new("agent-host", "falco", ["env:test"], clock ?? TimeProvider.System);

    /// <summary>Datadog's sample alert (nested output_fields, Warning) and the attributes its pipeline must produce.</summary>
    public static (string Sample, YamlMappingNode Expected, long TimestampMs) DatadogSample()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(DatadogTestsYaml)))
        {
            yaml.Load(reader);
        }

        var test = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["tests"])[0];
        var result = (YamlMappingNode)test["result"];
        return (((YamlScalarNode)test["sample"]).Value!, (YamlMappingNode)result["custom"],
            long.Parse(((YamlScalarNode)result["timestamp"]).Value!, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A minimal alert; <paramref name="n"/> goes into the output so tests can count each one.</summary>
    public static string Numbered(int n, string priority = "Warning") =>
        "{\"hostname\":\"node-1\",\"output\":\"alert " + n.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + "\",\"priority\":\"" + priority + "\",\"rule\":\"Test rule\",\"source\":\"syscall\",\"tags\":[\"T1059\"],"
        + "\"time\":\"2024-10-30T09:48:02.285310579Z\",\"output_fields\":{\"n\":" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static JsonElement Document(NormalizedAlert alert) => JsonDocument.Parse(alert.Document).RootElement.Clone();

    public static string[] DdTags(JsonElement document) => document.GetProperty("ddtags").GetString()!.Split(',');

    /// <summary>The <c>n</c> of each alert document (see <see cref="Numbered"/>).</summary>
    public static int Number(byte[] document) =>
        JsonDocument.Parse(document).RootElement.GetProperty("output_fields").GetProperty("n").GetInt32();
}
