using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Tests.Support;
using NATS.Client.Core;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Falcosidekick's subjects, then the NATS sink against Debian's real nats-server: delivery and an outage.</summary>
internal sealed class NatsSinkTests
{
    /// <summary>An alert as the queue holds it for a log sink: its normalized JSON document.</summary>
    private static byte[] Entry(string alert)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return normalized!.Document;
    }

    private static AlertDocument Document(string alert) => AlertDocument.Parse(Entry(alert), out _)!;

    [Test]
    public void The_default_subject_is_falcosidekicks_priority_and_rule_slug()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NatsSubject.Format(NatsOptions.DefaultSubject, Document(OneLine)), Is.EqualTo("falco.critical.terminal_shell_in_container"));
            Assert.That(NatsSubject.Format("alerts.<rule>.<priority>", Document(Numbered(1, "Informational"))), Is.EqualTo("alerts.test_rule.informational"));
            Assert.That(NatsSubject.Format("fixed.subject", Document(Numbered(1))), Is.EqualTo("fixed.subject"));
            Assert.That(NatsSubject.Slug("  --Read sensitive file (untrusted)__ by Éric!! "), Is.EqualTo("read_sensitive_file_untrusted_by_ric"));
            Assert.That(NatsSubject.Slug("***"), Is.EqualTo("_"));
        });
    }

    [TestCase("falco..x", "has an empty token (two dots, or a dot at an end)")]
    [TestCase("falco.>", "a wildcard cannot be published to")]
    [TestCase("falco alerts", "must not contain spaces or control characters")]
    public void A_subject_that_nats_would_refuse_is_named(string subject, string problem) =>
        Assert.That(NatsSubject.Problem(subject), Is.EqualTo(problem));

    private static AlertHarness Harness(NatsServer server) =>
        new(c => c with { Sinks = [new NatsSinkConfig(new SourcePosition("test", 1, 1), new NatsOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(2) })] });

    private static async Task PostAsync(AlertHarness harness, int from, int count, string priority = "Warning")
    {
        foreach (int[] chunk in Enumerable.Range(from, count).Chunk(100))
        {
            using HttpResponseMessage response = await harness.PostAsync(string.Join('\n', chunk.Select(n => Numbered(n, priority))));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    private static int Number(ReadOnlySpan<byte> payload) =>
        JsonDocument.Parse(payload.ToArray()).RootElement.GetProperty("output_fields").GetProperty("n").GetInt32();

    [Test]
    public async Task A_subscriber_gets_every_alert_once_on_its_subject()
    {
        await using NatsServer server = await NatsServer.StartAsync();
        await using NatsConnection subscriber = server.Connect();
        var received = new ConcurrentQueue<(string Subject, byte[] Data)>();
        await using INatsSub<byte[]> subscription = await subscriber.SubscribeCoreAsync<byte[]>("falco.>");
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in subscription.Msgs.ReadAllAsync())
            {
                received.Enqueue((message.Subject, message.Data!));
            }
        });
        await subscriber.PingAsync();
        await using AlertHarness harness = await Harness(server).StartAsync();

        await PostAsync(harness, 1, 1500, "Warning");
        await PostAsync(harness, 1501, 500, "Critical");

        await Eventually.TrueAsync(() => received.Count >= 2000, "2000 alerts at the subscriber");
        Assert.That(received.Select(m => Number(m.Data)).Order(), Is.EqualTo(Enumerable.Range(1, 2000)), "every alert exactly once");
        Assert.That(received.Where(m => Number(m.Data) <= 1500).Select(m => m.Subject).Distinct(), Is.EqualTo(new[] { "falco.warning.test_rule" }));
        Assert.That(received.Where(m => Number(m.Data) > 1500).Select(m => m.Subject).Distinct(), Is.EqualTo(new[] { "falco.critical.test_rule" }));
        JsonElement first = JsonDocument.Parse(received.First().Data).RootElement;
        Assert.That(first.GetProperty("rule").GetString(), Is.EqualTo("Test rule"), "the alert's JSON document as queued");
    }

    [Test]
    public async Task A_server_stopped_for_2_seconds_loses_nothing_and_gets_nothing_twice()
    {
        await using NatsServer server = await NatsServer.StartAsync();
        await using (NatsConnection setup = server.Connect())
        {
            // A JetStream stream keeps what the server accepted across its restart, so the test can count it all.
            await NatsServer.CreateStreamAsync(setup, "FALCO", "falco.>");
        }

        await using AlertHarness harness = await Harness(server).StartAsync();
        await PostAsync(harness, 1, 300);
        await using (NatsConnection reader = server.Connect())
        {
            await Eventually.TrueAsync(() => NatsServer.StreamCountAsync(reader, "FALCO").GetAwaiter().GetResult() >= 300, "the first 300 stored");
        }

        await server.Process.StopAsync();
        await PostAsync(harness, 301, 300);
        await Task.Delay(TimeSpan.FromSeconds(2));
        // A round of retries ends (and is counted) after the queue's retries of one request: wait for it.
        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Retried > 0, "the outage seen by the sink");
        await server.Process.RestartAsync();
        await PostAsync(harness, 601, 100);

        await using NatsConnection after = server.Connect();
        await Eventually.TrueAsync(() => NatsServer.StreamCountAsync(after, "FALCO").GetAwaiter().GetResult() >= 700, "all 700 stored after the restart");
        List<(string Subject, byte[] Data)> stored = await NatsServer.StreamMessagesAsync(after, "FALCO", NatsServer.StreamCountAsync(after, "FALCO").GetAwaiter().GetResult());
        Assert.That(stored.Select(m => Number(m.Data)).Order(), Is.EqualTo(Enumerable.Range(1, 700)), "every alert exactly once");
    }

    [Test]
    public void An_alerts_message_id_is_a_prefix_of_the_sha_256_of_its_queued_bytes()
    {
        byte[] entry = Entry(Numbered(7));
        byte[] other = [.. entry];
        other[^2] ^= 1;
        Assert.Multiple(() =>
        {
            Assert.That(NatsMessageId.Of(entry), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry))[..32]));
            Assert.That(NatsMessageId.Of([.. entry]), Is.EqualTo(NatsMessageId.Of(entry)), "the same bytes (a retry, a spool read-back) give the same id");
            Assert.That(NatsMessageId.Of(other), Is.Not.EqualTo(NatsMessageId.Of(entry)), "one bit apart, another id");
        });
    }

    [Test]
    public async Task A_request_sent_again_after_a_lost_pong_is_stored_once_and_carries_its_ids()
    {
        await using NatsServer server = await NatsServer.StartAsync();
        await using NatsConnection subscriber = server.Connect();
        await NatsServer.CreateStreamAsync(subscriber, "FALCO", "falco.>");
        var received = new ConcurrentQueue<NatsMsg<byte[]>>();
        await using INatsSub<byte[]> subscription = await subscriber.SubscribeCoreAsync<byte[]>("falco.>");
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in subscription.Msgs.ReadAllAsync())
            {
                received.Enqueue(message);
            }
        });
        await subscriber.PingAsync();
        byte[][] entries = [.. Enumerable.Range(1, 51).Select(n => Entry(Numbered(n, n % 2 == 0 ? "Critical" : "Warning")))];
        using var sink = new NatsSink(new NatsOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(5) });

        // The queue sends a request again, byte for byte, when the server took it but its PONG never came back.
        // Alert 51 goes last, alone: the stream processes in order, so once it is stored the repeats were seen.
        foreach (byte[][] request in new[] { entries[..50], entries[..50], entries[50..] })
        {
            SendAttempt attempt = await sink.SendAsync(new LogBatch(request), CancellationToken.None);
            Assert.That((attempt.Outcome, attempt.Items), Is.EqualTo((DeliveryOutcome.Sent, request.Length)));
        }

        long count = 0;
        await Eventually.TrueAsync(async () => (count = await NatsServer.StreamCountAsync(subscriber, "FALCO")) >= 51, "alert 51 stored");
        List<(string Subject, byte[] Data)> stored = await NatsServer.StreamMessagesAsync(subscriber, "FALCO", count);
        Assert.That(stored.Select(m => Number(m.Data)), Is.EqualTo(Enumerable.Range(1, 51)), "the repeated request stored once, in order");

        await Eventually.TrueAsync(() => received.Count >= 101, "every PUB at the core subscriber");
        Assert.That(received.Select(m => Number(m.Data)).Order(), Is.EqualTo(Enumerable.Range(1, 50).SelectMany(n => new[] { n, n }).Append(51)),
            "core NATS delivers the repeat too");
        Assert.That(received.Select(m => m.Headers?[NatsMessageId.Header].ToString()), Is.EqualTo(received.Select(m => NatsMessageId.Of(m.Data))),
            "each message carries the id of its bytes, the same on the repeat");
    }

    [Test]
    public async Task A_refused_login_is_retried_and_its_error_shows_no_secret()
    {
        await using NatsServer server = await NatsServer.StartAsync(user: ("falco", "right-pass"));
        await using AlertHarness harness = await new AlertHarness(c => c with
        {
            Sinks =
            [
                new NatsSinkConfig(new SourcePosition("test", 1, 1), new NatsOptions
                {
                    Url = new Uri($"nats://falco:wr0ng-pass@127.0.0.1:{server.ClientPort}"), Username = "falco", Password = new Secret("wr0ng-pass"),
                    Timeout = TimeSpan.FromSeconds(2),
                }),
            ],
        }).StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(Numbered(1));

        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].LastError is not null, "the refused login reported");
        Assert.That(harness.Pipeline.Sinks[0].LastError, Does.Not.Contain("wr0ng-pass"));
        Assert.That(harness.Pipeline.Sinks[0].Name, Does.Not.Contain("wr0ng-pass"));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Sent, Is.Zero);
    }
}
