using System.Buffers;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Alerts;

namespace FalcoCheck.Tests.Sinks;

/// <summary>The alertmanager and webhook encoders on Falco's documented alert: golden bytes, and decoded fields.</summary>
internal sealed class AlertEncoderTests
{
    private static byte[] Document() => AlertBodyReader.Read(AlertSamples.Utf8(AlertSamples.OneLine), AlertSamples.Context()).Alerts.Single().Document;

    private static AlertmanagerOptions Options(TimeSpan? expires) => new()
    {
        Endpoint = new HttpEndpointOptions { Url = new Uri("http://127.0.0.1:9093"), DisplayName = "x" },
        ExpiresAfter = expires,
        ExtraLabels = new Dictionary<string, string> { ["cluster"] = "prod-eu" },
    };

    [Test]
    public void Alertmanager_golden()
    {
        var buffer = new ArrayBufferWriter<byte>();
        AlertmanagerEncoder.Encode([Document()], Options(TimeSpan.FromMinutes(5)), buffer);

        GoldenFile.Assert("alertmanager.golden.json", buffer.WrittenSpan);
        JsonElement alert = JsonDocument.Parse(buffer.WrittenMemory).RootElement.EnumerateArray().Single();
        JsonElement labels = alert.GetProperty("labels");
        Assert.That(labels.GetProperty("priority").GetString(), Is.EqualTo("critical"));
        Assert.That(labels.GetProperty("cluster").GetString(), Is.EqualTo("prod-eu"));
        Assert.That(labels.TryGetProperty("proc_cmdline", out _), Is.False, "never a high-cardinality field as a label");
        DateTimeOffset starts = DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        DateTimeOffset ends = DateTimeOffset.Parse(alert.GetProperty("endsAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(ends - starts, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Alertmanager_without_expires_after_sends_no_endsAt()
    {
        var buffer = new ArrayBufferWriter<byte>();
        AlertmanagerEncoder.Encode([Document(), Document()], Options(null), buffer);

        JsonElement[] alerts = [.. JsonDocument.Parse(buffer.WrittenMemory).RootElement.EnumerateArray()];
        Assert.That(alerts, Has.Length.EqualTo(2));
        Assert.That(alerts[0].TryGetProperty("endsAt", out _), Is.False);
    }

    [TestCase(1_730_281_682_285_310_579L, "2024-10-30T09:48:02.285310579Z")]
    [TestCase(0L, "1970-01-01T00:00:00.000000000Z")]
    [TestCase(-1L, "1969-12-31T23:59:59.999999999Z")]
    public void Rfc3339_keeps_nanoseconds(long nanos, string expected) => Assert.That(AlertmanagerEncoder.Rfc3339(nanos), Is.EqualTo(expected));

    [TestCase(WebhookFormat.Slack, "webhook-slack.golden.json")]
    [TestCase(WebhookFormat.Teams, "webhook-teams.golden.json")]
    public void Webhook_presets_golden(WebhookFormat format, string golden)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WebhookEncoder.Encode(Document(), format, buffer);

        GoldenFile.Assert(golden, buffer.WrittenSpan);
        Assert.DoesNotThrow(() => JsonDocument.Parse(buffer.WrittenMemory));
    }

    [Test]
    public void Webhook_json_is_the_document_byte_for_byte()
    {
        var buffer = new ArrayBufferWriter<byte>();
        byte[] document = Document();
        WebhookEncoder.Encode(document, WebhookFormat.Json, buffer);

        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(document));
    }

    [Test]
    public void Alertmanager_stops_before_a_queued_document_that_is_not_an_alert()
    {
        var buffer = new ArrayBufferWriter<byte>();
        int count = AlertmanagerEncoder.Encode([Document(), "{\"rule\":\"no priority\"}"u8.ToArray(), Document()], Options(null), buffer);

        Assert.That(count, Is.EqualTo(1), "the first alert, not the broken one nor what follows it");
        Assert.That(JsonDocument.Parse(buffer.WrittenMemory).RootElement.GetArrayLength(), Is.EqualTo(1));
    }

    [TestCase(WebhookFormat.Slack)]
    [TestCase(WebhookFormat.Teams)]
    public void A_webhook_preset_names_why_a_queued_document_cannot_be_sent(WebhookFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();

        string? error = WebhookEncoder.Encode("not json"u8.ToArray(), format, buffer);

        Assert.That(error, Does.StartWith("a queued alert cannot be read: not JSON"));
        Assert.That(buffer.WrittenCount, Is.Zero);
    }

    [Test]
    public void Every_priority_has_its_own_colour()
    {
        Assert.That(Enum.GetValues<FalcoPriority>().Select(WebhookEncoder.Colour).Distinct().Count(), Is.EqualTo(8));
    }
}
