using System.Net;
using System.Net.Sockets;
using FalcoCheck.Demo;

namespace FalcoCheck.Tests.Demo;

/// <summary>
/// The replay server (Falco's stand-in for the demo and the tests) on Kestrel: its paths and answers, kept-alive
/// connections as the daemon's pooled scrapes use them, and counters that move in order under concurrent requests.
/// </summary>
internal sealed class ReplayServerTests
{
    private static readonly Dictionary<string, string> Payloads = new(StringComparer.Ordinal)
    {
        ["a"] = "# TYPE falcosecurity_falco_outputs_queue_num_drops_total counter\nfalcosecurity_falco_outputs_queue_num_drops_total 10\n",
        ["b"] = "# TYPE falcosecurity_scap_n_evts_total counter\nfalcosecurity_scap_n_evts_total 100\n",
    };

    [TestCase("/a/metrics", 200, "text/plain; version=0.0.4", "falcosecurity_falco_outputs_queue_num_drops_total 10")]
    [TestCase("/b/metrics", 200, "text/plain; version=0.0.4", "falcosecurity_scap_n_evts_total 100")]
    [TestCase("/metrics", 200, "text/plain; version=0.0.4", "falcosecurity_falco_outputs_queue_num_drops_total 10")]
    [TestCase("/healthz", 200, "application/json", "{\"status\": \"ok\"}")]
    [TestCase("/c/metrics", 404, null, "not found")]
    [TestCase("/nothing", 404, null, "not found")]
    public async Task Serves_each_payload_at_its_path(string path, int status, string? contentType, string body)
    {
        await using var server = ReplayServer.Start(Payloads);
        using var client = new HttpClient(new SocketsHttpHandler());

        using var answer = await client.GetAsync(new Uri(server.BaseUrl + path));

        Assert.That((int)answer.StatusCode, Is.EqualTo(status));
        Assert.That(answer.Content.Headers.ContentType?.ToString(), Is.EqualTo(contentType));
        Assert.That(await answer.Content.ReadAsStringAsync(), Does.Contain(body));
        Assert.That(answer.Content.Headers.ContentLength, Is.EqualTo((await answer.Content.ReadAsByteArrayAsync()).Length));
        Assert.That(server.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task Requests_reuse_one_kept_alive_connection()
    {
        await using var server = ReplayServer.StartEmbedded();
        var connections = 0;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

        for (var i = 0; i < 5; i++)
        {
            using var answer = await client.GetAsync(new Uri(server.BaseUrl + "/metrics"));
            Assert.That(answer.IsSuccessStatusCode, Is.True);
            Assert.That(answer.Headers.ConnectionClose, Is.Not.True);
        }

        Assert.That(connections, Is.EqualTo(1));
        Assert.That(server.Requests, Is.EqualTo(5));
        Assert.That(server[ReplayServer.DefaultPayload].Renders, Is.EqualTo(5));
    }

    [Test]
    public async Task Concurrent_requests_each_get_the_next_step_of_the_counters()
    {
        await using var server = ReplayServer.Start(Payloads);
        using var client = new HttpClient(new SocketsHttpHandler());

        var bodies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetStringAsync(new Uri(server.BaseUrl + "/a/metrics"))));

        // Counter 10 moves by 1 a rendering: twenty requests saw 10..29, each once.
        var values = bodies.Select(b => int.Parse(b.Split('\n')[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.That(values, Is.EqualTo(Enumerable.Range(10, 20)));
        Assert.That(server.Requests, Is.EqualTo(20));
    }

    [Test]
    public async Task A_port_in_use_and_a_non_loopback_address_are_refused()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var inUse = Assert.Throws<IOException>(() => ReplayServer.Start(Payloads, port));
        var remote = Assert.Throws<ArgumentException>(() => ReplayServer.Start(Payloads, 0, "10.0.0.1"));

        Assert.That(inUse!.Message, Does.Contain($"127.0.0.1:{port}").And.Contain("in use"));
        Assert.That(remote!.Message, Does.Contain("expected a loopback address"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Serves_on_another_loopback_address_to_stand_for_a_second_host()
    {
        await using var server = ReplayServer.Start(Payloads, address: "127.0.0.2");
        using var client = new HttpClient(new SocketsHttpHandler());

        var health = await client.GetStringAsync(new Uri(server.BaseUrl + "/healthz"));

        Assert.That(server.BaseUrl, Does.StartWith("http://127.0.0.2:"));
        Assert.That(health, Does.Contain("ok"));
    }

    [Test]
    public async Task Starting_many_servers_watches_no_files()
    {
        var before = InotifyInstances();
        var servers = new List<ReplayServer>();
        for (var i = 0; i < 3; i++)
        {
            servers.Add(ReplayServer.Start(Payloads));
        }

        var during = InotifyInstances();
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        // A configuration file watcher per server (the host's default) would exhaust inotify instances in a test run.
        Assert.That(during, Is.EqualTo(before));
    }

    private static int InotifyInstances() =>
        Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == "anon_inode:inotify";
            }
            catch (IOException)
            {
                return false;
            }
        });
}
