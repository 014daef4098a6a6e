using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Loki;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Loki push bodies byte for byte, then the Loki sink against a loopback intake that decodes both kinds.</summary>
internal sealed class LokiSinkTests
{
    private const long Nanos = 1730281682285310579;

    private static byte[] Normalized(string alert)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return normalized!.Document;
    }

    private static HttpEndpointOptions Endpoint(Uri url) => new() { Url = new Uri(url, LokiOptions.PushPath), DisplayName = url.ToString() };

    private static byte[] Encode(LokiOptions options, params string[] alerts)
    {
        var output = new ArrayBufferWriter<byte>();
        int count = LokiEncoder.Encode(alerts.Select(Normalized).ToArray(), options, output, out string? error);
        Assert.That(count, Is.EqualTo(alerts.Length), error);
        return output.WrittenSpan.ToArray();
    }

    [Test]
    public void The_json_body_groups_alerts_into_one_stream_per_label_set()
    {
        var options = new LokiOptions { Endpoint = Endpoint(new Uri("http://loki")), Encoding = LokiEncoding.Json, TextLines = true };

        string body = Encoding.UTF8.GetString(Encode(options, Numbered(1), Numbered(2, "Critical"), Numbered(3)));

        Assert.That(body, Is.EqualTo(
            "{\"streams\":["
            + "{\"stream\":{\"hostname\":\"node-1\",\"priority\":\"Warning\",\"rule\":\"Test rule\",\"source\":\"syscall\"},"
            + "\"values\":[[\"1730281682285310579\",\"alert 1\"],[\"1730281682285310579\",\"alert 3\"]]},"
            + "{\"stream\":{\"hostname\":\"node-1\",\"priority\":\"Critical\",\"rule\":\"Test rule\",\"source\":\"syscall\"},"
            + "\"values\":[[\"1730281682285310579\",\"alert 2\"]]}]}"));
    }

    [Test]
    public void The_protobuf_body_is_logproto_push_request_on_the_wire()
    {
        var options = new LokiOptions
        {
            Endpoint = Endpoint(new Uri("http://loki")), TextLines = true, Labels = [LokiLabel.Priority],
            ExtraLabels = new Dictionary<string, string> { ["job"] = "falco" },
        };

        byte[] body = Encode(options, Numbered(1));

        // Written by hand from push.proto and timestamp.proto: PushRequest.streams(1) { labels(1), entries(2) {
        // timestamp(1) { seconds(1), nanos(2) }, line(2) } }.
        byte[] timestamp = [0x08, .. Varint(1730281682), 0x10, .. Varint(285310579)];
        byte[] entry = [0x0A, .. Varint(timestamp.Length), .. timestamp, 0x12, 7, .. "alert 1"u8];
        byte[] labels = Encoding.UTF8.GetBytes("{job=\"falco\", priority=\"Warning\"}");
        byte[] stream = [0x0A, .. Varint(labels.Length), .. labels, 0x12, .. Varint(entry.Length), .. entry];
        byte[] expected = [0x0A, .. Varint(stream.Length), .. stream];
        Assert.That(Convert.ToHexString(body), Is.EqualTo(Convert.ToHexString(expected)));
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        ulong v = (ulong)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        bytes.Add((byte)v);
        return [.. bytes];
    }

    [Test]
    public void Label_values_are_escaped_and_the_namespace_comes_from_output_fields()
    {
        var options = new LokiOptions { Endpoint = Endpoint(new Uri("http://loki")), Labels = [LokiLabel.Rule, LokiLabel.K8sNsName] };
        string alert = """{"output":"x","priority":"Notice","rule":"A \"quoted\\\" rule","time":"2024-10-30T09:48:02.285310579Z","output_fields":{"k8s.ns.name":"prod"}}""";
        var pairs = new List<KeyValuePair<string, string>>();

        LokiEncoder.LabelPairs(FalcoCheck.Sinks.Logs.AlertDocument.Parse(Normalized(alert), out _)!, options, pairs);

        Assert.That(LokiEncoder.LabelsText(pairs), Is.EqualTo("{k8s_ns_name=\"prod\", rule=\"A \\\"quoted\\\\\\\" rule\"}"));
        Assert.That(LokiIntake.ParseLabels(LokiEncoder.LabelsText(pairs)), Is.EqualTo(new Dictionary<string, string> { ["k8s_ns_name"] = "prod", ["rule"] = "A \"quoted\\\" rule" }));
    }

    private static AlertHarness Harness(LokiIntake intake, LokiEncoding encoding) => new(c => c with
    {
        Sinks =
        [
            new LokiSinkConfig(new SourcePosition("test", 1, 1), new LokiOptions
            {
                Endpoint = new HttpEndpointOptions
                {
                    Url = new Uri(intake.Url, LokiOptions.PushPath), DisplayName = intake.Url.ToString(), Username = "falco", Password = new Secret("p4ss-word"),
                },
                Tenant = "team-sec",
                Encoding = encoding,
                Timeout = TimeSpan.FromSeconds(5),
            }),
        ],
    });

    private static async Task PostAsync(AlertHarness harness, int from, int count, string priority = "Warning")
    {
        foreach (int[] chunk in Enumerable.Range(from, count).Chunk(250))
        {
            using HttpResponseMessage response = await harness.PostAsync(string.Join('\n', chunk.Select(n => Numbered(n, priority))));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    private static int[] Numbers(LokiIntake intake) =>
        [.. intake.Entries.Select(e => JsonDocument.Parse(e.Line).RootElement.GetProperty("output_fields").GetProperty("n").GetInt32()).Order()];

    [TestCase(LokiEncoding.Protobuf)]
    [TestCase(LokiEncoding.Json)]
    public async Task Every_alert_arrives_once_in_its_stream_with_tenant_and_auth(LokiEncoding encoding)
    {
        await using var intake = new LokiIntake();
        await using AlertHarness harness = await Harness(intake, encoding).StartAsync();

        await PostAsync(harness, 1, 1500);
        await PostAsync(harness, 1501, 500, "Critical");

        await Eventually.TrueAsync(() => intake.Entries.Count >= 2000, "2000 entries at the intake");
        Assert.That(intake.Violations, Is.Empty);
        Assert.That(Numbers(intake), Is.EqualTo(Enumerable.Range(1, 2000)), "every alert exactly once");
        Assert.That(intake.Entries.Select(e => e.Nanos).Distinct(), Is.EqualTo(new[] { Nanos }), "the alert's own time, to the nanosecond");
        Assert.That(intake.Entries.Select(e => string.Join(',', e.Labels.Select(l => l.Key + "=" + l.Value))).Distinct().Order(), Is.EqualTo(new[]
        {
            "hostname=node-1,priority=Critical,rule=Test rule,source=syscall",
            "hostname=node-1,priority=Warning,rule=Test rule,source=syscall",
        }));
        string basic = "Basic " + Convert.ToBase64String("falco:p4ss-word"u8.ToArray());
        Assert.That(intake.Requests.Distinct(), Is.EqualTo(new[]
        {
            ((string?)"team-sec", (string?)basic, (string?)(encoding == LokiEncoding.Json ? "application/json" : "application/x-protobuf")),
        }));
        Assert.That(harness.Pipeline.Sinks[0].Name, Does.StartWith("loki:").And.Not.Contain("p4ss"));
    }

    [Test]
    public async Task An_outage_of_loki_loses_nothing_and_sends_nothing_twice()
    {
        await using var intake = new LokiIntake { FailWith = HttpStatusCode.ServiceUnavailable };
        await using AlertHarness harness = await Harness(intake, LokiEncoding.Protobuf).StartAsync();

        await PostAsync(harness, 1, 500);
        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Retried > 0, "503s retried");
        intake.FailWith = null;
        await PostAsync(harness, 501, 500);

        await Eventually.TrueAsync(() => intake.Entries.Count >= 1000, "1000 entries after the outage");
        Assert.That(Numbers(intake), Is.EqualTo(Enumerable.Range(1, 1000)));
    }
}
