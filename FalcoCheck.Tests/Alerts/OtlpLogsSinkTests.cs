using System.Buffers;
using System.Net;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Otlp.Protocol;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Tests.Support;
using Google.Protobuf;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The OTLP logs request of an alert, field by field, then the sink against a loopback /v1/logs intake.</summary>
internal sealed class OtlpLogsSinkTests
{
    private static byte[] Normalized(string alert)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return normalized!.Document;
    }

    private static OtlpLogsOptions Options(Uri url) => new() { Endpoint = new HttpEndpointOptions { Url = url, DisplayName = url.ToString() } };

    [Test]
    public void An_alert_is_a_log_record_with_its_severity_fields_and_resource()
    {
        string alert = """
            {"hostname":"node-1","output":"shell in pod","priority":"Critical","rule":"Terminal shell in container","source":"syscall",
             "tags":["container","T1059"],"time":"2024-10-30T09:48:02.285310579Z",
             "output_fields":{"k8s.ns.name":"prod","k8s.pod.name":"web-1","proc.pid":4242,"proc.cmdline":"sh -i","user.name":"root","evt.type":"execve",
             "fd.name":null,"evt.arg.flags":["A","B"],"container":{"privileged":true}}}
            """;
        var output = new ArrayBufferWriter<byte>();

        int count = OtlpLogsEncoder.Encode([Normalized(alert)], Options(new Uri("http://c/v1/logs")), 1730281683000000000, output, out string? error);

        Assert.That(count, Is.EqualTo(1), error);
        var request = ExportLogsServiceRequest.Parser.ParseFrom(output.WrittenSpan);
        string version = FalcoCheck.Sinks.ThisAssembly.Version;
        Assert.That(JsonFormatter.Default.Format(request), Is.EqualTo(
            "{ \"resourceLogs\": [ { \"resource\": { \"attributes\": [ "
            + "{ \"key\": \"host.name\", \"value\": { \"stringValue\": \"node-1\" } }, "
            + "{ \"key\": \"service.name\", \"value\": { \"stringValue\": \"falco\" } }, "
            + "{ \"key\": \"k8s.namespace.name\", \"value\": { \"stringValue\": \"prod\" } }, "
            + "{ \"key\": \"k8s.pod.name\", \"value\": { \"stringValue\": \"web-1\" } } ] }, "
            + "\"scopeLogs\": [ { \"scope\": { \"name\": \"falcocheck\", \"version\": \"" + version + "\" }, \"logRecords\": [ { "
            + "\"timeUnixNano\": \"1730281682285310579\", \"severityNumber\": \"SEVERITY_NUMBER_FATAL2\", \"severityText\": \"Critical\", "
            + "\"body\": { \"stringValue\": \"shell in pod\" }, \"attributes\": [ "
            + "{ \"key\": \"falco.rule\", \"value\": { \"stringValue\": \"Terminal shell in container\" } }, "
            + "{ \"key\": \"falco.priority\", \"value\": { \"stringValue\": \"Critical\" } }, "
            + "{ \"key\": \"falco.source\", \"value\": { \"stringValue\": \"syscall\" } }, "
            + "{ \"key\": \"falco.tags\", \"value\": { \"arrayValue\": { \"values\": [ { \"stringValue\": \"container\" }, { \"stringValue\": \"T1059\" } ] } } }, "
            + "{ \"key\": \"k8s.ns.name\", \"value\": { \"stringValue\": \"prod\" } }, "
            + "{ \"key\": \"k8s.pod.name\", \"value\": { \"stringValue\": \"web-1\" } }, "
            + "{ \"key\": \"proc.pid\", \"value\": { \"intValue\": \"4242\" } }, "
            + "{ \"key\": \"proc.cmdline\", \"value\": { \"stringValue\": \"sh -i\" } }, "
            + "{ \"key\": \"evt.arg.flags\", \"value\": { \"stringValue\": \"[\\\"A\\\",\\\"B\\\"]\" } }, "
            + "{ \"key\": \"container.privileged\", \"value\": { \"boolValue\": true } }, "
            + "{ \"key\": \"user.name\", \"value\": { \"stringValue\": \"root\" } }, "
            + "{ \"key\": \"evt.type\", \"value\": { \"stringValue\": \"execve\" } } ], "
            + "\"observedTimeUnixNano\": \"1730281683000000000\" } ] } ] } ] }"));
    }

    [TestCase("Emergency", SeverityNumber.Fatal4)]
    [TestCase("Alert", SeverityNumber.Fatal3)]
    [TestCase("Critical", SeverityNumber.Fatal2)]
    [TestCase("Error", SeverityNumber.Error)]
    [TestCase("Warning", SeverityNumber.Warn)]
    [TestCase("Notice", SeverityNumber.Info2)]
    [TestCase("Informational", SeverityNumber.Info)]
    [TestCase("Debug", SeverityNumber.Debug)]
    public void Each_priority_has_the_severity_of_opentelemetrys_syslog_mapping(string priority, SeverityNumber expected)
    {
        Assert.That(AlertPriorities.TryParse(priority, out FalcoPriority level), Is.True);
        Assert.That(OtlpLogsEncoder.Severity(level), Is.EqualTo(expected));
    }

    private static string? Attribute(LogRecord record, string key) => record.Attributes.FirstOrDefault(a => a.Key == key)?.Value.ToString();

    [TestCase(Compression.None)]
    [TestCase(Compression.Gzip)]
    public async Task Every_alert_arrives_once_as_a_log_record(Compression compression)
    {
        await using var intake = new OtlpLogsIntake();
        await using AlertHarness harness = await new AlertHarness(c => c with
        {
            Sinks =
            [
                new OtlpLogsSinkConfig(new SourcePosition("test", 1, 1), Options(intake.Url) with
                {
                    Endpoint = new HttpEndpointOptions { Url = intake.Url, DisplayName = intake.Url.ToString(), BearerToken = new Secret("b3arer-t0ken") },
                    Compression = compression,
                }),
            ],
        }).StartAsync();

        foreach (int[] chunk in Enumerable.Range(1, 1500).Chunk(250))
        {
            using HttpResponseMessage response = await harness.PostAsync(string.Join('\n', chunk.Select(n => Numbered(n, n % 2 == 0 ? "Error" : "Notice"))));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Eventually.TrueAsync(() => intake.Records.Count >= 1500, "1500 log records");
        Assert.That(intake.Violations, Is.Empty);
        Assert.That(intake.Records.Select(r => (int)r.Record.Attributes.Single(a => a.Key == "n").Value.IntValue).Order(), Is.EqualTo(Enumerable.Range(1, 1500)));
        Assert.Multiple(() =>
        {
            foreach ((Resource resource, LogRecord record) in intake.Records)
            {
                long n = record.Attributes.Single(a => a.Key == "n").Value.IntValue;
                Assert.That(record.SeverityNumber, Is.EqualTo(n % 2 == 0 ? SeverityNumber.Error : SeverityNumber.Info2));
                Assert.That(record.TimeUnixNano, Is.EqualTo(1730281682285310579UL));
                Assert.That(record.Body.StringValue, Is.EqualTo($"alert {n}"));
                Assert.That(resource.Attributes.Single(a => a.Key == "host.name").Value.StringValue, Is.EqualTo("node-1"));
            }
        });
        Assert.That(Attribute(intake.Records.First().Record, "falco.rule"), Does.Contain("Test rule"));
        Assert.That(intake.Authorizations.Distinct(), Is.EqualTo(new[] { "Bearer b3arer-t0ken" }));
        Assert.That(harness.Pipeline.Sinks[0].Name, Does.Not.Contain("b3arer"));
    }
}
