using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Syslog;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>RFC 5424 golden bytes, then the syslog sink against Debian's real rsyslogd over UDP, TCP and TLS.</summary>
internal sealed class SyslogSinkTests
{
    private static readonly string[] Priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];

    private static NormalizedAlert Normalize(string alert)
    {
        using JsonDocument input = JsonDocument.Parse(alert);
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return normalized!;
    }

    private static string Encode(string alert, SyslogFormat format, int facility = 1)
    {
        NormalizedAlert normalized = Normalize(alert);
        var output = new ArrayBufferWriter<byte>();
        SyslogEncoder.Encode(AlertDocument.Parse(normalized.Document, out _)!, normalized.Document, facility, format, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Test]
    public void An_alert_is_an_rfc5424_message_with_the_alert_in_structured_data()
    {
        string alert = """{"hostname":"node 1","output":"a \"quoted\" ] output","priority":"Error","rule":"Rule \"x\" [y]","source":"syscall","time":"2024-10-30T09:48:02.285310579Z"}""";

        Assert.That(Encode(alert, SyslogFormat.Text, facility: 16),
            Is.EqualTo("<131>1 2024-10-30T09:48:02.285310Z node_1 falco - - [falco@32473 rule=\"Rule \\\"x\\\" [y\\]\" priority=\"Error\" hostname=\"node 1\" source=\"syscall\"] \uFEFFa \"quoted\" ] output"));
    }

    [Test]
    public void The_json_format_carries_the_queued_document_as_it_is()
    {
        NormalizedAlert normalized = Normalize(Numbered(7));

        string message = Encode(Numbered(7), SyslogFormat.Json);

        Assert.That(message, Does.StartWith("<12>1 2024-10-30T09:48:02.285310Z node-1 falco - - [falco@32473 rule=\"Test rule\" priority=\"Warning\" hostname=\"node-1\" source=\"syscall\"] \uFEFF"));
        Assert.That(message, Does.EndWith(Encoding.UTF8.GetString(normalized.Document)));
    }

    [TestCase(8, 6)]
    [TestCase(4, 4)]
    [TestCase(3, 2)]
    [TestCase(2, 2)]
    public void A_datagram_is_never_cut_inside_a_character(int limit, int expected)
    {
        byte[] text = Encoding.UTF8.GetBytes("ab\u00e9\u00e9");
        Assert.That(SyslogEncoder.CutAt(text, limit), Is.EqualTo(expected));
    }

    private static AlertHarness Harness(SyslogOptions options) =>
        new(c => c with { Sinks = [new SyslogSinkConfig(new SourcePosition("test", 1, 1), options)] });

    private static async Task PostAsync(AlertHarness harness, IEnumerable<string> alerts, int perBody = 100)
    {
        foreach (string[] chunk in alerts.Chunk(perBody))
        {
            using HttpResponseMessage response = await harness.PostAsync(string.Join('\n', chunk));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The <c>n</c> of each message rsyslog wrote (the JSON document after the BOM).</summary>
    internal static int[] Numbers(string[][] received) =>
        [.. received.Select(r => JsonDocument.Parse(r[6].TrimStart('\uFEFF')).RootElement.GetProperty("output_fields").GetProperty("n").GetInt32()).Order()];

    [TestCase(SyslogTransport.Udp, 60)]
    [TestCase(SyslogTransport.Tcp, 2500)]
    public async Task Rsyslog_receives_every_alert_once_with_its_severity_and_structured_data(SyslogTransport transport, int count)
    {
        await using RsyslogServer rsyslog = await RsyslogServer.StartAsync();
        await using AlertHarness harness = await Harness(new SyslogOptions { Host = "127.0.0.1", Port = rsyslog.Port, Transport = transport, Facility = 16 }).StartAsync();

        // Over UDP a burst larger than the socket buffer may be dropped by the kernel (syslog over UDP has no
        // acknowledgement, see SyslogSink): bodies of 20 keep the test about the format, not the kernel.
        await PostAsync(harness, Enumerable.Range(1, count).Select(n => Numbered(n, Priorities[n % 8])), transport == SyslogTransport.Udp ? 20 : 250);

        await Eventually.TrueAsync(() => rsyslog.Received().Length >= count, $"{count} messages in rsyslog's file");
        string[][] received = rsyslog.Received();
        Assert.That(Numbers(received), Is.EqualTo(Enumerable.Range(1, count)), "every alert exactly once");
        Assert.Multiple(() =>
        {
            foreach (string[] message in received)
            {
                int n = JsonDocument.Parse(message[6].TrimStart('\uFEFF')).RootElement.GetProperty("output_fields").GetProperty("n").GetInt32();
                Assert.That(message[0], Is.EqualTo("16"), "facility local0");
                Assert.That(message[1], Is.EqualTo((n % 8).ToString(System.Globalization.CultureInfo.InvariantCulture)), "severity = Falco's priority number");
                Assert.That(message[2], Is.EqualTo("2024-10-30T09:48:02.285310Z"));
                Assert.That(message[3], Is.EqualTo("node-1"));
                Assert.That(message[4], Is.EqualTo("falco"));
                Assert.That(message[5], Is.EqualTo($"[falco@32473 rule=\"Test rule\" priority=\"{Priorities[n % 8]}\" hostname=\"node-1\" source=\"syscall\"]"));
            }
        });
    }

    /// <summary>rsyslog's gtls driver reads the server certificate and key from PEM files.</summary>
    internal static async Task<RsyslogServer> StartTlsAsync(TestCertificates certificates)
    {
        string cert = Path.Combine(certificates.Folder, "server.pem");
        string key = Path.Combine(certificates.Folder, "server.key");
        await File.WriteAllTextAsync(cert, certificates.Server.ExportCertificatePem());
        await File.WriteAllTextAsync(key, certificates.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return await RsyslogServer.StartAsync((certificates.CaPath, cert, key));
    }

    [Test]
    public async Task Rsyslog_over_tls_receives_the_alerts_from_a_trusted_server()
    {
        using var certificates = new TestCertificates();
        await using RsyslogServer rsyslog = await StartTlsAsync(certificates);
        await using AlertHarness harness = await Harness(new SyslogOptions
        {
            Host = "127.0.0.1", Port = rsyslog.Port, Transport = SyslogTransport.Tls, Tls = new() { CaCert = certificates.CaPath },
        }).StartAsync();

        await PostAsync(harness, Enumerable.Range(1, 300).Select(n => Numbered(n)));

        await Eventually.TrueAsync(() => rsyslog.Received().Length >= 300, "300 messages in rsyslog's file");
        Assert.That(Numbers(rsyslog.Received()), Is.EqualTo(Enumerable.Range(1, 300)));
    }

    [Test]
    public async Task An_untrusted_tls_server_gets_nothing_and_the_alerts_wait()
    {
        using var certificates = new TestCertificates();
        await using RsyslogServer rsyslog = await StartTlsAsync(certificates);
        // No tls_ca_cert: the system's CAs do not know the test CA.
        await using AlertHarness harness = await Harness(new SyslogOptions { Host = "127.0.0.1", Port = rsyslog.Port, Transport = SyslogTransport.Tls }).StartAsync();

        await PostAsync(harness, [Numbered(1)]);

        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Retried > 0, "a failed handshake counted as a retry");
        Assert.That(rsyslog.Received(), Is.Empty);
    }

    [Test]
    public async Task A_tcp_outage_loses_nothing_once_the_server_is_back()
    {
        int port;
        await using (RsyslogServer first = await RsyslogServer.StartAsync())
        {
            port = first.Port;
        }

        // Nothing listens on the port yet: connection refused, the alerts wait in the queue.
        await using AlertHarness harness = await Harness(new SyslogOptions { Host = "127.0.0.1", Port = port, Transport = SyslogTransport.Tcp }).StartAsync();
        await PostAsync(harness, Enumerable.Range(1, 500).Select(n => Numbered(n)));
        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Retried > 0, "the refused connection retried");

        await using RsyslogServer rsyslog = await RsyslogServer.StartAsync(port: port);

        await Eventually.TrueAsync(() => rsyslog.Received().Length >= 500, "500 messages after the server started");
        Assert.That(Numbers(rsyslog.Received()), Is.EqualTo(Enumerable.Range(1, 500)));
    }

    [Test]
    public async Task A_restarted_receiver_gets_what_follows_on_a_new_connection()
    {
        RsyslogServer first = await RsyslogServer.StartAsync();
        int port = first.Port;
        await using AlertHarness harness = await Harness(new SyslogOptions { Host = "127.0.0.1", Port = port, Transport = SyslogTransport.Tcp }).StartAsync();
        await PostAsync(harness, Enumerable.Range(1, 100).Select(n => Numbered(n)));
        await Eventually.TrueAsync(() => first.Received().Length >= 100, "the first 100 before the restart");

        // rsyslogd goes away (its connections closed) and comes back on the same port: the kept connection is dead.
        await first.DisposeAsync();
        await using RsyslogServer second = await RsyslogServer.StartAsync(port: port);
        await PostAsync(harness, Enumerable.Range(101, 100).Select(n => Numbered(n)));

        await Eventually.TrueAsync(() => second.Received().Length >= 100, "the next 100 at the restarted server");
        Assert.That(Numbers(second.Received()), Is.EqualTo(Enumerable.Range(101, 100)), "nothing written into the dead connection");
    }
}
