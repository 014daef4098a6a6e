using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using NATS.Client.Core;

namespace FalcoCheck.Sinks.Nats;

/// <summary>
/// Publishes each alert's JSON document (as queued, raw bytes: no serializer) on its subject (<see cref="NatsSubject"/>)
/// with the official core client, then a PING: the server answers PONG only after it has processed every PUB before
/// it on the connection, so a request counts as sent only when the server has the alerts. Any failure disposes the
/// connection (with whatever it had buffered) and the queue retries on a new one, so the client never replays a
/// buffer behind the queue's back.
/// </summary>
/// <remarks>
/// A server that fails after taking a request's PUBs but before its PONG gets the request again from the queue. Each
/// alert carries a <c>Nats-Msg-Id</c> header (<see cref="NatsMessageId"/>, the same on every retry), so a JetStream
/// stream capturing the subject stores it once if the repeat comes within the stream's duplicate window (2 minutes
/// by default); core subscribers get every PUB, the repeat included, and can tell it by the header. Core NATS
/// delivers to the subscribers (or streams) present when the server processes the alert.
/// </remarks>
internal sealed class NatsSink(NatsOptions options) : IBatchSender<LogBatch>
{
    private const int MaxEntries = 1000;
    private const long MaxBytes = 4L * 1024 * 1024;

    private NatsConnection? _connection;

    public string Name { get; } = "nats:" + Configuration.EndpointRedactor.Redact(options.Url);

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int count = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            NatsConnection connection = _connection ??= new NatsConnection(Options());
            await connection.ConnectAsync().AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
            long maxPayload = connection.ServerInfo?.MaxPayload ?? int.MaxValue;
            int published = 0;
            for (int i = 0; i < count; i++)
            {
                byte[] entry = batch.RemainingEntries.Span[i];
                AlertDocument? alert = AlertDocument.Parse(entry, out string? error);
                string? problem = alert is null ? "a queued alert cannot be read: " + error
                    : entry.Length + NatsMessageId.HeaderBytes > maxPayload ? TooLarge(entry.Length, maxPayload)
                    : null;
                if (problem is null)
                {
                    // The id lets a JetStream stream drop this alert when a retry sends it again (see the remarks).
                    var headers = new NatsHeaders { [NatsMessageId.Header] = NatsMessageId.Of(entry) };
                    try
                    {
                        await connection.PublishAsync(NatsSubject.Format(options.Subject, alert!), entry, headers, cancellationToken: timeout.Token).ConfigureAwait(false);
                        published++;
                        continue;
                    }
                    catch (NatsPayloadTooLargeException)
                    {
                        // The client refuses before writing anything, so the connection is sound: this alert can never
                        // be sent to this server, and sending it again would only fail again.
                        problem = TooLarge(entry.Length, maxPayload);
                    }
                }

                if (published == 0)
                {
                    return SendAttempt.Of(DeliveryOutcome.Rejected(problem), 1);
                }

                break;
            }

            await connection.PingAsync(timeout.Token).ConfigureAwait(false);
            return SendAttempt.Of(DeliveryOutcome.Sent, published);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            await CloseAsync().ConfigureAwait(false);
            string reason = e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no answer within {options.Timeout.TotalSeconds:0.###} s"
                : Redact(e.Message);
            return SendAttempt.Of(DeliveryOutcome.Retry($"{Name}: {reason}"), count);
        }
    }

    private static string TooLarge(int bytes, long maxPayload) =>
        $"an alert of {bytes} bytes with its {NatsMessageId.HeaderBytes}-byte {NatsMessageId.Header} header is over the server's max_payload of {maxPayload}";

    /// <summary>The client's messages may quote the URL or what the server said about the login: no secret in them.</summary>
    private string Redact(string message)
    {
        foreach (string? secret in new[] { options.Password?.Reveal(), options.Token?.Reveal(), options.Url.UserInfo })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                message = message.Replace(secret, Configuration.Secret.Mask, StringComparison.Ordinal);
            }
        }

        return message;
    }

    private NatsOpts Options() => new()
    {
        Url = options.Url.AbsoluteUri,
        Name = "falcocheck",
        AuthOpts = new NatsAuthOpts { Username = options.Username, Password = options.Password?.Reveal(), Token = options.Token?.Reveal() },
        TlsOpts = new NatsTlsOpts
        {
            CaFile = options.Tls.CaCert,
            CertFile = options.Tls.Cert,
            KeyFile = options.Tls.PrivateKey,
            InsecureSkipVerify = !options.Tls.Verify,
        },
        ConnectTimeout = options.Timeout,
        CommandTimeout = options.Timeout,
        // The queue in front retries and reconnects (a new connection per failure): no client-side replay.
        MaxReconnectRetry = 0,
        PublishTimeoutOnDisconnected = true,
    };

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing a connection that already failed: nothing more to do.
            }
        }
    }

    public void Dispose() => CloseAsync().GetAwaiter().GetResult();
}
