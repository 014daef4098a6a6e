using System.Net;
using System.Net.Sockets;
using System.Text;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Integration;

/// <summary>
/// DogStatsD over UDP and a Unix datagram socket: no Datadog Agent is installable here, so a socket listener in the
/// test is the peer; every datagram is parsed and each line checked against what the check printed.
/// </summary>
internal sealed class DogStatsDListenerTests
{
    private static readonly CheckRunOptions Rate = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(300) };

    [Test]
    public async Task Udp_datagrams_carry_every_point_and_the_service_check()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        await AssertDatagramsAsync(listener, $"udp://127.0.0.1:{port}", 1432);
    }

    [Test]
    public async Task Unix_socket_datagrams_carry_every_point_and_the_service_check()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fc-dsd-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            await AssertDatagramsAsync(listener, "unix://" + path, 8192);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task AssertDatagramsAsync(Socket listener, string address, int limit)
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"sinks:\n  - type: dogstatsd\n    address: {address}\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var lines = new List<string>();
        var buffer = new byte[65_536];
        listener.ReceiveTimeout = 2000;
        int expected = run.Metrics.Count + run.ServiceChecks.Count;
        while (lines.Count < expected)
        {
            int length = listener.Receive(buffer);
            Assert.That(length, Is.LessThanOrEqualTo(limit));
            lines.AddRange(Encoding.UTF8.GetString(buffer, 0, length).Split('\n'));
        }

        Assert.That(lines, Has.Count.EqualTo(expected));
        for (int i = 0; i < run.Metrics.Count; i++)
        {
            var printed = run.Metrics[i];
            var fields = lines[i].Split('|');
            string[] nameValue = fields[0].Split(':');
            Assert.That(nameValue[0], Is.EqualTo(printed.GetProperty("metric").GetString()));
            Assert.That(double.Parse(nameValue[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(printed.GetProperty("value").GetDouble()));
            Assert.That(fields[1], Is.EqualTo(printed.GetProperty("type").GetString() == "count" ? "c" : "g"));
            Assert.That(fields[2], Does.StartWith("#").And.EndWith(",host:test-node"));
        }

        Assert.That(lines[^1], Does.StartWith("_sc|falco.openmetrics.health|0|d:").And.Contain("|h:test-node|#endpoint:"));
    }
}
