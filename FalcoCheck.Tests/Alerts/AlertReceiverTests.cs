using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Tests.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The http_output receiver on a real loopback port: every answer, and nothing disturbed by bad requests.</summary>
internal sealed class AlertReceiverTests
{
    private const string Token = "s3cret-token";

    private static FalcoCheck.Alerts.NormalizedAlert Normalized(string alert)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        FalcoCheck.Alerts.AlertNormalizer.TryNormalize(input.RootElement, new FalcoCheck.Alerts.AlertContext("test-node", "falco", ["env:test"], TimeProvider.System), out var normalized, out _);
        return normalized!;
    }

    private static IEnumerable<TestCaseData> Requests()
    {
        yield return new TestCaseData(OneLine, null, HttpStatusCode.OK, "\"accepted\":1").SetName("Falco's alert: 200");
        yield return new TestCaseData($"[{Numbered(1)},{Numbered(2)}]", null, HttpStatusCode.OK, "\"accepted\":2").SetName("an array: 200 with the count");
        yield return new TestCaseData($"{Numbered(1)}\n{Numbered(2)}\n{Numbered(3)}\n", null, HttpStatusCode.OK, "\"accepted\":3").SetName("NDJSON: 200");
        yield return new TestCaseData($"{Numbered(1)}\n{{oops\n", null, HttpStatusCode.OK, "\"rejected\":1,\"errors\":[\"line 2, column 2: not valid JSON\"]")
            .SetName("NDJSON with a bad line: 200, the bad line reported");
        yield return new TestCaseData("{\"rule\": \"x\", ", null, HttpStatusCode.BadRequest, "not valid JSON").SetName("malformed JSON: 400");
        yield return new TestCaseData("", null, HttpStatusCode.BadRequest, "empty body").SetName("empty body: 400");
        yield return new TestCaseData("{\"hello\":\"world\"}", null, HttpStatusCode.BadRequest, "not a Falco alert").SetName("JSON that is not an alert: 400");
        yield return new TestCaseData(new string(' ', 10 * 1024 * 1024), null, HttpStatusCode.RequestEntityTooLarge, "max_body_size").SetName("10 MB body: 413");
    }

    [TestCaseSource(nameof(Requests))]
    public async Task Answers_each_body_with_the_right_status(string body, string? unused, HttpStatusCode status, string answer)
    {
        await using AlertHarness harness = await new AlertHarness().StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(answer));
    }

    [Test]
    public async Task Bad_requests_disturb_nothing_and_every_good_alert_reaches_the_sink_once()
    {
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(c => c with { Http = c.Http! with { Token = new Secret(Token) } }, _ => sink).StartAsync();
        void Auth(HttpRequestMessage r) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var statuses = new List<HttpStatusCode>();
        foreach ((string body, Action<HttpRequestMessage>? configure) in new (string, Action<HttpRequestMessage>?)[]
        {
            (Numbered(1), Auth),
            ("{broken", Auth),
            (Numbered(2), null),
            (Numbered(3), r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong")),
            (new string('x', 2 * 1024 * 1024), Auth),
            (string.Empty, Auth),
            (Numbered(4), Auth),
        })
        {
            using HttpResponseMessage response = await harness.PostAsync(body, configure);
            statuses.Add(response.StatusCode);
        }

        await Eventually.TrueAsync(() => sink.Entries.Count >= 2, "two alerts delivered");
        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest, HttpStatusCode.OK,
        }));
        Assert.That(sink.Entries.Select(Number), Is.EqualTo(new[] { 1, 4 }));
    }

    [Test]
    public async Task Falcos_url_user_info_and_a_custom_header_carry_the_token()
    {
        await using AlertHarness basic = await new AlertHarness(c => c with { Http = c.Http! with { Token = new Secret(Token) } }).StartAsync();
        await using AlertHarness custom = await new AlertHarness(c => c with { Http = c.Http! with { Token = new Secret(Token), TokenHeader = "X-Falco-Token" } }).StartAsync();

        // What libcurl sends for http_output.url: http://falco:TOKEN@127.0.0.1:PORT/ and http://TOKEN@…/.
        string userInfo = Convert.ToBase64String(Encoding.UTF8.GetBytes("falco:" + Token));
        string tokenOnly = Convert.ToBase64String(Encoding.UTF8.GetBytes(Token + ":"));
        using HttpResponseMessage withPassword = await basic.PostAsync(OneLine, r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", userInfo));
        using HttpResponseMessage withUser = await basic.PostAsync(OneLine, r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", tokenOnly));
        using HttpResponseMessage header = await custom.PostAsync(OneLine, r => r.Headers.Add("X-Falco-Token", Token));
        using HttpResponseMessage missing = await custom.PostAsync(OneLine);

        Assert.That(new[] { withPassword.StatusCode, withUser.StatusCode, header.StatusCode, missing.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Not.Contain(Token));
    }

    [Test]
    public async Task Answers_503_only_when_the_queue_and_the_spool_are_both_full()
    {
        // The sink never succeeds; the memory queue holds 2 alerts (the one in delivery counts) and the spool 3 lines
        // (each line is the document and '\n').
        var sink = new RecordingLogSink { Answer = () => FalcoCheck.Sinks.Delivery.DeliveryOutcome.Retry("intake down") };
        int line = Document(Normalized(Numbered(1))).GetRawText().Length + 1;
        await using AlertHarness harness = await new AlertHarness(c => c with { QueueSize = 2, SpoolMaxBytes = (3 * line) + 10 }, _ => sink).StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (int i = 1; i <= 12; i++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Numbered(i));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            }
        }

        int accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.That(statuses.Take(accepted), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses.Skip(accepted), Is.Not.Empty);
        Assert.That(statuses.Skip(accepted), Has.All.EqualTo(HttpStatusCode.ServiceUnavailable));
        // The first spill writes the alert in delivery to the spool ahead of what is spilled behind it (the spool keeps
        // the order): it and alerts 2 and 3 fill the three lines, alert 4 waits in memory beside the one in delivery.
        Assert.That(accepted, Is.EqualTo(4), "one in delivery (also in the spool), one waiting in memory, three lines in the spool, then 503");
        Assert.That(harness.Pipeline.Sinks[0].Counts.SpoolBytes, Is.EqualTo(3 * line));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.Zero, "a refused alert is the sender's to retry, never lost here");
    }

    [Test]
    public async Task Healthz_and_other_methods()
    {
        await using AlertHarness harness = await new AlertHarness().StartAsync();

        using HttpResponseMessage health = await harness.Client.GetAsync(new Uri(harness.Url, "/healthz"));
        using HttpResponseMessage get = await harness.Client.GetAsync(harness.Url);

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo("{\"status\":\"ok\"}\n"));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task A_gzip_body_from_a_forwarder_is_read()
    {
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(createSink: _ => sink).StartAsync();
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Utf8(Numbered(7)));
        }

        using HttpResponseMessage response = await harness.PostAsync(compressed.ToArray(), r => r.Content!.Headers.ContentEncoding.Add("gzip"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => sink.Entries.Count == 1, "the alert delivered");
        Assert.That(Number(sink.Entries[0]), Is.EqualTo(7));
    }

    [Test]
    public async Task Serves_https_with_a_PEM_certificate()
    {
        using var dir = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string certPath = dir.Write("alerts.pem", certificate.ExportCertificatePem());
        string keyPath = dir.Write("alerts.key", key.ExportPkcs8PrivateKeyPem());
        await using AlertHarness harness = await new AlertHarness(c => c with { Http = c.Http! with { TlsCert = certPath, TlsKey = keyPath } }).StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString() },
        });

        using var content = new StringContent(OneLine, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync(harness.Url, content);

        Assert.That(harness.Url.Scheme, Is.EqualTo("https"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(answer.RootElement.GetProperty("accepted").GetInt32(), Is.EqualTo(1));
    }

    /// <summary>A pool that hands out fresh arrays and notes every return of an array it does not have out.</summary>
    private sealed class WatchedPool : ArrayPool<byte>
    {
        private readonly Lock _gate = new();
        private readonly HashSet<byte[]> _out = [];

        public int Outstanding
        {
            get
            {
                lock (_gate)
                {
                    return _out.Count;
                }
            }
        }

        public int Rented { get; private set; }

        public int WrongReturns { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength];
            lock (_gate)
            {
                Rented++;
                _out.Add(array);
            }

            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            lock (_gate)
            {
                if (!_out.Remove(array))
                {
                    WrongReturns++;
                }
            }
        }
    }

    /// <summary>
    /// A body of unknown length: HttpClient sends it chunked, so the receiver starts with its small buffer. Sent in
    /// 8 KiB pieces with a pause between them, so the receiver reads (and grows its buffer) as it comes; with
    /// <paramref name="abortAfter"/>, the client gives up after that many bytes, as a client that disconnects.
    /// </summary>
    private sealed class ChunkedContent(byte[] body, int abortAfter = int.MaxValue) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (int i = 0; i < body.Length; i += 8192)
            {
                if (i >= abortAfter)
                {
                    throw new IOException("the client gives up");
                }

                await stream.WriteAsync(body.AsMemory(i, Math.Min(8192, body.Length - i)));
                await stream.FlushAsync();
                await Task.Delay(10);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static string Lines(int from, int count) => string.Concat(Enumerable.Range(from, count).Select(n => Numbered(n) + "\n"));

    private static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }

    private static IEnumerable<TestCaseData> BodiesFailingAfterTheBufferGrew()
    {
        // Chunked and past max_body_size: Kestrel throws its 413 in the middle of the read, after two larger buffers.
        yield return new TestCaseData((Func<HttpContent>)(() => new ChunkedContent(Utf8(Lines(1, 1000)))))
            .SetName("a chunked body over max_body_size");

        // A client that disconnects after 48 KiB: the read fails once the buffer has grown twice.
        yield return new TestCaseData((Func<HttpContent>)(() => new ChunkedContent(Utf8(Lines(1, 1000)), abortAfter: 48 * 1024)))
            .SetName("a chunked body whose client disconnects");

        // Gzip with a small Content-Length that inflates past the first buffer, then fails its CRC check at the end.
        yield return new TestCaseData((Func<HttpContent>)(() =>
        {
            byte[] gzip = Gzip(Utf8(Lines(1, 150)));
            gzip[^8] ^= 0xFF;
            var content = new ByteArrayContent(gzip);
            content.Headers.ContentEncoding.Add("gzip");
            return content;
        })).SetName("a gzip body that inflates past the first buffer and then is corrupt");
    }

    [TestCaseSource(nameof(BodiesFailingAfterTheBufferGrew))]
    public async Task A_body_that_fails_after_the_buffer_grew_returns_each_buffer_once(Func<HttpContent> body)
    {
        var pool = new WatchedPool();
        var config = new AlertsHttpConfig { Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxBodyBytes = 64 * 1024 };
        var intake = new AlertIntake(Context(), [], new AlertCounter());
        await using var receiver = new AlertReceiver(config, intake, NullLogger.Instance, pool);
        await receiver.StartAsync(CancellationToken.None);
        using var client = new HttpClient(new SocketsHttpHandler());

        for (int i = 0; i < 3; i++)
        {
            try
            {
                using HttpResponseMessage response = await client.PostAsync(receiver.Address, body());
                Assert.That((int)response.StatusCode, Is.AnyOf(400, 413), "refused");
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // Kestrel may answer 413 and close while the client is still sending, or the client gave up.
            }
        }

        await Eventually.TrueAsync(() => pool.Outstanding == 0, "every buffer rented was given back");
        Assert.That(pool.Rented, Is.GreaterThan(3), "the buffer grew");
        Assert.That(pool.WrongReturns, Is.Zero, "a buffer given back twice (or one never rented) lets the pool hand it to two requests");

        using HttpResponseMessage good = await client.PostAsync(receiver.Address, new StringContent(Lines(1, 3)));
        Assert.That(await good.Content.ReadAsStringAsync(), Does.Contain("\"accepted\":3"));
    }

    [Test]
    public async Task Bodies_that_fail_mid_read_never_mix_up_the_alerts_of_concurrent_requests()
    {
        var sink = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(
            c => c with { Http = c.Http! with { MaxBodyBytes = 64 * 1024 } }, _ => sink).StartAsync();

        // Each good body is about 22 KB, sent with its length: its first buffer is of the pool's size (32 KiB) that
        // the chunked bodies start with, the one a double return would hand to two requests.
        const int Bodies = 40;
        const int PerBody = 100;
        byte[] corrupt = Gzip(Utf8(Lines(1, 150)));
        corrupt[^8] ^= 0xFF;
        var requests = new List<Task>();
        for (int b = 0; b < Bodies; b++)
        {
            int from = (b * PerBody) + 1;
            requests.Add(Task.Run(async () =>
            {
                using HttpResponseMessage response = await harness.Client.PostAsync(harness.Url, new StringContent(Lines(from, PerBody)));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }));
            requests.Add(Task.Run(async () =>
            {
                try
                {
                    var content = new ByteArrayContent(corrupt);
                    content.Headers.ContentEncoding.Add("gzip");
                    using HttpResponseMessage bad = await harness.Client.PostAsync(harness.Url, content);
                    using HttpResponseMessage large = await harness.Client.PostAsync(harness.Url, new ChunkedContent(Utf8(Lines(1, 1000))));
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // The 413 may close the connection mid-send.
                }
            }));
        }

        await Task.WhenAll(requests);
        await Eventually.TrueAsync(() => sink.Entries.Count >= Bodies * PerBody, "every good alert delivered");
        Assert.That(sink.Entries.Select(Number).Order(), Is.EqualTo(Enumerable.Range(1, Bodies * PerBody)), "each alert once, none mixed up");
    }
}
