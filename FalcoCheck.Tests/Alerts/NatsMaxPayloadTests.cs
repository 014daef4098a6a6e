using System.Collections.Concurrent;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Tests.Support;
using NATS.Client.Core;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The server's <c>max_payload</c> bounds a message's headers and payload together: an alert whose bytes fit but
/// whose <c>Nats-Msg-Id</c> header takes it over is refused for good (dropped, counted), never retried forever.
/// </summary>
internal sealed class NatsMaxPayloadTests
{
    private const int MaxPayload = 2000;

    /// <summary>
    /// What the <c>Nats-Msg-Id</c> header adds on the wire (NATS ADR-4): <c>NATS/1.0\r\n</c>, <c>Nats-Msg-Id: </c>,
    /// 32 hex digits, <c>\r\n</c>, and the blank line that ends the headers.
    /// </summary>
    private const int HeaderBytes = 10 + 13 + 32 + 2 + 2;

    /// <summary>An alert whose queued document is exactly <paramref name="length"/> bytes (a field padded).</summary>
    private static byte[] EntryOf(int length, int n)
    {
        byte[] Document(int padding)
        {
            string alert = Numbered(n).Replace("\"output_fields\":{", "\"output_fields\":{\"pad\":\"" + new string('x', padding) + "\",", StringComparison.Ordinal);
            using JsonDocument input = JsonDocument.Parse(alert);
            Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
            return normalized!.Document;
        }

        int bare = Document(0).Length;
        byte[] entry = Document(length - bare);
        Assert.That(entry, Has.Length.EqualTo(length), "padding a field grows the document byte for byte");
        return entry;
    }

    [Test]
    public async Task An_alert_over_max_payload_with_its_header_is_dropped_and_the_next_ones_are_delivered()
    {
        await using NatsServer server = await NatsServer.StartAsync(maxPayload: MaxPayload);
        await using NatsConnection subscriber = server.Connect();
        var received = new ConcurrentQueue<byte[]>();
        await using INatsSub<byte[]> subscription = await subscriber.SubscribeCoreAsync<byte[]>("falco.>");
        _ = Task.Run(async () =>
        {
            await foreach (NatsMsg<byte[]> message in subscription.Msgs.ReadAllAsync())
            {
                received.Enqueue(message.Data!);
            }
        });
        await subscriber.PingAsync();
        using var sink = new NatsSink(new NatsOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(5) });

        byte[] overByHeader = EntryOf(MaxPayload - 30, 1);
        byte[] oneOver = EntryOf(MaxPayload - HeaderBytes + 1, 2);
        byte[] exact = EntryOf(MaxPayload - HeaderBytes, 3);
        byte[] small = EntryOf(600, 4);

        SendAttempt first = await sink.SendAsync(new LogBatch([overByHeader, small]), CancellationToken.None);
        SendAttempt second = await sink.SendAsync(new LogBatch([small]), CancellationToken.None);
        SendAttempt third = await sink.SendAsync(new LogBatch([oneOver]), CancellationToken.None);
        SendAttempt fourth = await sink.SendAsync(new LogBatch([exact, small]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((first.Outcome.Status, first.Items), Is.EqualTo((DeliveryStatus.Rejected, 1)), first.Outcome.Reason);
            Assert.That(first.Outcome.Reason, Does.Contain("max_payload"));
            Assert.That((second.Outcome.Status, second.Items), Is.EqualTo((DeliveryStatus.Sent, 1)), second.Outcome.Reason);
            Assert.That((third.Outcome.Status, third.Items), Is.EqualTo((DeliveryStatus.Rejected, 1)), "one byte over, header counted: " + third.Outcome.Reason);
            Assert.That((fourth.Outcome.Status, fourth.Items), Is.EqualTo((DeliveryStatus.Sent, 2)), "exactly max_payload is taken: " + fourth.Outcome.Reason);
        });
        await Eventually.TrueAsync(() => received.Count >= 3, "the small alert twice and the exact one", seconds: 10);
        Assert.That(received.Select(Number), Is.EqualTo(new[] { 4, 3, 4 }), "the server took every alert that fits, none that does not");
    }
}
