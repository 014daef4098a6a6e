using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Tests.Configuration;
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
}
