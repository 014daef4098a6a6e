using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Syslog;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The syslog sink keeps one TLS connection: what a TLS 1.3 server sends after the handshake (session tickets, which
/// OpenSSL servers send by default and rsyslog's gnutls driver does not) is not a close, and every message of every
/// request arrives.
/// </summary>
internal sealed partial class SyslogTlsConnectionTests
{
    /// <summary>
    /// <c>openssl s_server</c> as a TLS syslog receiver (what syslog-ng, rsyslog's ossl driver or stunnel speak):
    /// TLS 1.3 with two session tickets after each handshake; every byte it receives goes to its standard output.
    /// </summary>
    private sealed class OpensslServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly MemoryStream _received = new();
        private readonly Task _reading;

        private OpensslServer(Process process, int port)
        {
            _process = process;
            Port = port;
            _reading = Task.Run(async () =>
            {
                byte[] buffer = new byte[16 * 1024];
                int read;
                while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
                {
                    lock (_received)
                    {
                        _received.Write(buffer, 0, read);
                    }
                }
            });
        }

        public int Port { get; }

        public string Received()
        {
            lock (_received)
            {
                return Encoding.UTF8.GetString(_received.GetBuffer(), 0, (int)_received.Length);
            }
        }

        public static async Task<OpensslServer> StartAsync(TestCertificates certificates)
        {
            string? openssl = new[] { "/usr/bin/openssl", "/bin/openssl" }.FirstOrDefault(File.Exists);
            if (openssl is null)
            {
                Assert.Fail("openssl is not installed; ./test.sh installs it (apt-get install -y openssl)");
            }

            string cert = Path.Combine(certificates.Folder, "server.pem");
            string key = Path.Combine(certificates.Folder, "server.key");
            await File.WriteAllTextAsync(cert, certificates.Server.ExportCertificatePem());
            await File.WriteAllTextAsync(key, certificates.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            int port = TestHttpServer.FreePort();
            var start = new ProcessStartInfo(openssl!) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (string argument in new[] { "s_server", "-accept", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-cert", cert, "-key", key, "-tls1_3", "-quiet" })
            {
                start.ArgumentList.Add(argument);
            }

            var server = new OpensslServer(Process.Start(start)!, port);
            server._process.ErrorDataReceived += (_, _) => { };
            server._process.BeginErrorReadLine();
            for (int attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    // A plain TCP probe: s_server drops it at its first byte and goes on listening.
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                    return server;
                }
                catch (SocketException)
                {
                    await Task.Delay(100);
                }
            }

            await server.DisposeAsync();
            Assert.Fail("openssl s_server did not listen within 10 s");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            await _reading;
            _process.Dispose();
        }
    }

    [GeneratedRegex("\\{\"n\":([0-9]+)\\}")]
    private static partial Regex AlertNumber();

    [Test]
    public async Task Requests_in_a_row_share_one_tls_connection_to_an_openssl_server_that_sends_session_tickets()
    {
        using var certificates = new TestCertificates();
        await using OpensslServer server = await OpensslServer.StartAsync(certificates);
        await using var proxy = new CountingTcpProxy(server.Port);

        await SendFiveRequestsAsync(proxy.Port, certificates);

        await Eventually.TrueAsync(() => AlertNumber().Count(server.Received()) >= 100, "100 messages at the server", seconds: 15);
        int[] numbers = [.. AlertNumber().Matches(server.Received()).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, 100)), "every message once, in order");
        Assert.That(proxy.Accepted, Is.EqualTo(1), "one connection for five requests");
    }

    private static async Task SendFiveRequestsAsync(int port, TestCertificates certificates)
    {
        using var sink = new SyslogSink(new SyslogOptions
        {
            Host = "127.0.0.1", Port = port, Transport = SyslogTransport.Tls, Tls = new() { CaCert = certificates.CaPath },
        });
        for (int request = 0; request < 5; request++)
        {
            byte[][] entries = [.. Enumerable.Range(request * 20 + 1, 20).Select(Entry)];
            SendAttempt attempt = await sink.SendAsync(new LogBatch(entries), CancellationToken.None);
            Assert.That((attempt.Outcome.Status, attempt.Items), Is.EqualTo((DeliveryStatus.Sent, 20)), attempt.Outcome.Reason);

            // Time for whatever the server sends after its handshake to arrive before the next request.
            await Task.Delay(300);
        }
    }

    private static byte[] Entry(int n)
    {
        using JsonDocument input = JsonDocument.Parse(Numbered(n));
        Assert.That(AlertNormalizer.TryNormalize(input.RootElement, Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        return normalized!.Document;
    }

    [Test]
    public async Task Requests_in_a_row_share_one_tls_connection_to_rsyslog_and_all_arrive()
    {
        using var certificates = new TestCertificates();
        await using RsyslogServer rsyslog = await SyslogSinkTests.StartTlsAsync(certificates);
        await using var proxy = new CountingTcpProxy(rsyslog.Port);

        await SendFiveRequestsAsync(proxy.Port, certificates);

        await Eventually.TrueAsync(() => rsyslog.Received().Length >= 100, "100 messages in rsyslog's file", seconds: 15);
        Assert.That(SyslogSinkTests.Numbers(rsyslog.Received()), Is.EqualTo(Enumerable.Range(1, 100)), "every message once");
        Assert.That(proxy.Accepted, Is.EqualTo(1), "one connection for five requests");
    }
}
