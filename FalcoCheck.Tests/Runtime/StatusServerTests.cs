using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The status endpoint on its own socket server: what clients see (the same answers as with HttpListener before),
/// malformed and oversized requests, idle and surplus connections, and start/stop under a storm of connects (the
/// HttpListener start-up race, dotnet/corefx#35191, once took the daemon down).
/// </summary>
internal sealed class StatusServerTests
{
    private static readonly StatusReport Report = new()
    {
        Version = "9.9.9-test",
        Pid = 4242,
        StartedAt = DateTimeOffset.UnixEpoch.AddDays(20000),
        Now = DateTimeOffset.UnixEpoch.AddDays(20000).AddMinutes(3),
        AgentConfig = "/etc/falcocheck/falcocheck.yaml",
        CheckConfig = "/etc/falcocheck/conf.d/falco.d/conf.yaml",
        ConfigErrors = ["instances[2]: no openmetrics_endpoint"],
        Instances = [new InstanceReport { Index = 0, Endpoint = "http://127.0.0.1:8765/metrics", IntervalSeconds = 15, Status = "ok", Runs = 7 }],
        Sinks = [new SinkReport { Name = "file:/dev/null", Queue = 1, QueueCapacity = 10000, Sent = 99, Dropped = 0, Failed = 0 }],
    };

    public static IEnumerable<TestCaseData> Requests()
    {
        yield return new TestCaseData("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200, "application/json", "{\"status\":\"ok\"}\n").SetName("GET /healthz");
        yield return new TestCaseData("GET /healthz HTTP/1.0\r\n\r\n", 200, "application/json", "{\"status\":\"ok\"}\n").SetName("HTTP/1.0 without Host");
        yield return new TestCaseData("GET /healthz HTTP/1.1\nHost: x\n\n", 200, "application/json", "{\"status\":\"ok\"}\n").SetName("bare LF line ends");
        yield return new TestCaseData("GET http://127.0.0.1:8766/healthz?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", 200, "application/json", "{\"status\":\"ok\"}\n").SetName("absolute-form target with a query");
        yield return new TestCaseData("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n", 404, "text/plain; charset=utf-8", "not found: try /status or /healthz\n").SetName("unknown path");
        yield return new TestCaseData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 404, "text/plain; charset=utf-8", "not found: try /status or /healthz\n").SetName("root");
        yield return new TestCaseData("POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 405, null, "").SetName("POST is not allowed");
        yield return new TestCaseData("DELETE /nothing HTTP/1.1\r\nHost: x\r\n\r\n", 405, null, "").SetName("the method is checked before the path");
        yield return new TestCaseData("GARBAGE\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("one word");
        yield return new TestCaseData("GET /status\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("HTTP/0.9 request line");
        yield return new TestCaseData("GET status HTTP/1.1\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("target without a slash");
        yield return new TestCaseData("GET /status HTTP/2.0\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("not HTTP/1.x");
        yield return new TestCaseData("GET  /status HTTP/1.1\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("two spaces");
        yield return new TestCaseData("G(T /status HTTP/1.1\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("method not a token");
        yield return new TestCaseData("GET /status HTTP/1.1\r\nno colon here\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("header line without a colon");
        yield return new TestCaseData("GET /status HTTP/1.1\r\n: empty name\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("header with an empty name");
        yield return new TestCaseData("\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\n", 400, "text/plain; charset=utf-8", null).SetName("TLS hello bytes");
    }

    [TestCaseSource(nameof(Requests))]
    public async Task Answers_a_raw_request(string request, int status, string? contentType, string? body)
    {
        await using var server = Start(new RecordingLogger());

        var answer = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes(request));

        Assert.That(answer.Status, Is.EqualTo(status), answer.Text);
        Assert.That(answer.Header("Connection"), Is.EqualTo("close"));
        Assert.That(answer.Header("Content-Type"), Is.EqualTo(contentType));
        Assert.That(answer.Header("Content-Length"), Is.EqualTo(answer.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (status == 405)
        {
            Assert.That(answer.Header("Allow"), Is.EqualTo("GET, HEAD"));
        }

        if (body is not null)
        {
            Assert.That(Encoding.UTF8.GetString(answer.Body), Is.EqualTo(body));
        }
        else
        {
            Assert.That(Encoding.UTF8.GetString(answer.Body), Does.StartWith("bad request: "));
        }
    }

    [Test]
    public async Task Status_is_the_report_as_json_and_deserializes_as_before()
    {
        await using var server = Start(new RecordingLogger());
        using var client = new HttpClient(new SocketsHttpHandler());

        using var answer = await client.GetAsync(Url(server, "/status"));
        var report = await answer.Content.ReadFromJsonAsync(StatusJsonContext.Default.StatusReport);

        Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await answer.Content.ReadAsByteArrayAsync(), Is.EqualTo(JsonSerializer.SerializeToUtf8Bytes(Report, StatusJsonContext.Default.StatusReport)));
        Assert.That(report, Is.Not.Null);
        Assert.That(report!.Version, Is.EqualTo("9.9.9-test"));
        Assert.That(report.StartedAt, Is.EqualTo(Report.StartedAt));
        Assert.That(report.ConfigErrors, Is.EqualTo(Report.ConfigErrors));
        Assert.That(report.Instances.Single().Endpoint, Is.EqualTo("http://127.0.0.1:8765/metrics"));
        Assert.That(report.Instances.Single().Runs, Is.EqualTo(7));
        Assert.That(report.Sinks.Single().Sent, Is.EqualTo(99));
        Assert.That(answer.Headers.ConnectionClose, Is.True, "one request per connection");
    }

    [TestCase("/status")]
    [TestCase("/healthz")]
    public async Task Head_has_the_length_of_get_and_no_body(string path)
    {
        await using var server = Start(new RecordingLogger());

        var get = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"));
        var head = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes($"HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n"));

        Assert.That(head.Status, Is.EqualTo(200));
        Assert.That(head.Body, Is.Empty, "nothing after the head");
        Assert.That(get.Body, Is.Not.Empty);
        Assert.That(head.Header("Content-Length"), Is.EqualTo(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(head.Header("Content-Type"), Is.EqualTo("application/json"));
    }

    [Test]
    public async Task A_head_over_the_limit_is_refused_with_431()
    {
        await using var server = Start(new RecordingLogger());
        var request = "GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', StatusServer.MaxHeadBytes) + "\r\n\r\n";

        var answer = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes(request));

        Assert.That(answer.Status, Is.EqualTo(431));
        Assert.That(Encoding.UTF8.GetString(answer.Body), Does.Contain("larger than 8192 bytes"));
    }

    [Test]
    public async Task A_head_just_under_the_limit_is_answered()
    {
        await using var server = Start(new RecordingLogger());
        var start = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ";
        var request = start + new string('a', StatusServer.MaxHeadBytes - start.Length - 4) + "\r\n\r\n";

        var answer = await ExchangeAsync(server.LocalEndPoint, Encoding.ASCII.GetBytes(request));

        Assert.That(request, Has.Length.EqualTo(StatusServer.MaxHeadBytes));
        Assert.That(answer.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Idle_connections_do_not_hold_up_a_status_request()
    {
        await using var server = Start(new RecordingLogger());
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < StatusServer.MaxConnections - 1; i++)
            {
                idle.Add(await ConnectAsync(server.LocalEndPoint));
            }

            using var client = new HttpClient(new SocketsHttpHandler());
            var health = await client.GetStringAsync(Url(server, "/healthz"));
            var report = await client.GetFromJsonAsync(Url(server, "/status"), StatusJsonContext.Default.StatusReport);

            Assert.That(health, Is.EqualTo("{\"status\":\"ok\"}\n"));
            Assert.That(report!.Pid, Is.EqualTo(4242));
            // Answered while every idle connection is still open (not after their timeout closed them).
            Assert.That(idle.Select(s => s.Poll(0, SelectMode.SelectRead)), Is.All.False, "idle connections still open, nothing sent to them");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public async Task Connections_past_the_limit_are_closed_and_served_again_once_others_end()
    {
        await using var server = Start(new RecordingLogger());
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < StatusServer.MaxConnections; i++)
            {
                idle.Add(await ConnectAsync(server.LocalEndPoint));
            }

            // Accepted and closed at once: the request gets no answer.
            var refused = await ExchangeAsync(server.LocalEndPoint, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), tolerateReset: true);
            Assert.That(refused.Status, Is.Zero, refused.Text);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }

        // Once the idle ones are gone the server answers again (their ends are noticed asynchronously).
        Answer answer;
        var deadline = DateTime.UtcNow + Eventually.Limit;
        do
        {
            answer = await ExchangeAsync(server.LocalEndPoint, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), tolerateReset: true);
        }
        while (answer.Status == 0 && DateTime.UtcNow < deadline);

        Assert.That(answer.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_client_that_sends_nothing_is_closed_after_the_read_timeout_and_logged()
    {
        var logger = new RecordingLogger();
        await using var server = StatusServer.Start(new IPEndPoint(IPAddress.Loopback, 0), () => Report, logger, TimeSpan.FromMilliseconds(300));
        using var idle = await ConnectAsync(server.LocalEndPoint);

        var buffer = new byte[16];
        var read = await idle.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Eventually.Limit);

        Assert.That(read, Is.Zero, "the server closed the connection");
        await Eventually.WaitAsync(() => logger.Lines.Any(l => l.Contains("to send its request or read the answer", StringComparison.Ordinal)), "the timeout logged");
        Assert.That(logger.Lines.Single(), Does.StartWith("Warning: status endpoint: a client took more than 0.3 s"));
    }

    [Test]
    public async Task A_connect_and_close_without_a_request_is_not_logged()
    {
        var logger = new RecordingLogger();
        await using var server = Start(logger);
        for (var i = 0; i < 5; i++)
        {
            using var probe = await ConnectAsync(server.LocalEndPoint);
        }

        var answer = await ExchangeAsync(server.LocalEndPoint, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(logger.Lines, Is.Empty, "a TCP probe is not a problem");
    }

    [Test]
    public async Task A_failing_report_is_logged_and_the_server_keeps_answering()
    {
        var logger = new RecordingLogger();
        var fail = true;
        await using var server = StatusServer.Start(new IPEndPoint(IPAddress.Loopback, 0),
            () => fail ? throw new InvalidOperationException("report broke") : Report, logger);

        var broken = await ExchangeAsync(server.LocalEndPoint, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), tolerateReset: true);
        fail = false;
        var answer = await ExchangeAsync(server.LocalEndPoint, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.That(broken.Status, Is.Zero, "closed without an answer");
        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(logger.Lines, Has.Some.EqualTo("Warning: status endpoint: report broke"));
    }

    [Test]
    public async Task Starting_and_stopping_under_a_storm_of_connects_never_throws_and_it_answers_after()
    {
        var logger = new RecordingLogger();
        var endpoint = new IPEndPoint(IPAddress.Loopback, PortBelowTheEphemeralRange());
        using var stop = new CancellationTokenSource();
        var connects = 0;
        var answered = 0;

        // Two clients: one connects and closes, one sends a request and reads the answer, both as fast as they can.
        async Task StormAsync(bool request)
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(endpoint, stop.Token);
                    Interlocked.Increment(ref connects);
                    if (request)
                    {
                        await socket.SendAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, stop.Token);
                        if (await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token) > 0)
                        {
                            Interlocked.Increment(ref answered);
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // Refused between two starts, or reset by a stop: what a client of a restarting daemon sees.
                }
            }
        }

        var storm = new[] { Task.Run(() => StormAsync(false)), Task.Run(() => StormAsync(true)) };
        try
        {
            for (var cycle = 0; cycle < 200; cycle++)
            {
                var server = StatusServer.Start(endpoint, () => Report, logger);
                if (cycle % 10 == 0)
                {
                    // Now and then stay up long enough for the storm to get answers from this instance.
                    await Task.Delay(20);
                }

                await server.DisposeAsync();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(storm);
        }

        await using var last = StatusServer.Start(endpoint, () => Report, logger);
        using var client = new HttpClient(new SocketsHttpHandler());
        var report = await client.GetFromJsonAsync(Url(last, "/status"), StatusJsonContext.Default.StatusReport);

        Assert.That(report!.Version, Is.EqualTo("9.9.9-test"));
        Assert.That(connects, Is.GreaterThan(200), "the storm did connect while the server started and stopped");
        Assert.That(answered, Is.GreaterThan(0), "and got answers");
        TestContext.Out.WriteLine($"{connects} connects, {answered} answers, {logger.Lines.Count} log lines");
    }

    [Test]
    public async Task An_address_in_use_is_refused_with_the_setting_named()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var endpoint = (IPEndPoint)taken.LocalEndpoint;

        var e = Assert.Throws<InvalidOperationException>(() => StatusServer.Start(endpoint, () => Report, new RecordingLogger()));

        Assert.That(e!.Message, Does.StartWith($"status.listen {endpoint}: ").And.EndWith("(set another status.listen, or status.enabled: false)"));
        Assert.That(e.Message, Does.Contain("in use"));
        // A second daemon must not share the port (SO_REUSEADDR only, not SO_REUSEPORT).
        await using var first = Start(new RecordingLogger());
        Assert.Throws<InvalidOperationException>(() => StatusServer.Start(first.LocalEndPoint, () => Report, new RecordingLogger()));
    }

    [TestCase("::1", "::1")]
    [TestCase("0.0.0.0", "127.0.0.1")]
    [TestCase("::", "127.0.0.1")]
    [TestCase("::", "::1")]
    public async Task Serves_on_ipv4_ipv6_and_wildcard_addresses(string listen, string connect)
    {
        await using var server = StatusServer.Start(new IPEndPoint(IPAddress.Parse(listen), 0), () => Report, new RecordingLogger());

        var answer = await ExchangeAsync(new IPEndPoint(IPAddress.Parse(connect), server.LocalEndPoint.Port), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.That(answer.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Localhost_in_status_listen_is_served_on_loopback()
    {
        Assert.That(FalcoCheck.Configuration.StatusConfig.TryParseListen("localhost:8766", out var parsed), Is.True);
        await using var server = StatusServer.Start(new IPEndPoint(parsed.Address, 0), () => Report, new RecordingLogger());
        using var client = new HttpClient(new SocketsHttpHandler());

        var health = await client.GetStringAsync(new Uri($"http://localhost:{server.LocalEndPoint.Port}/healthz"));

        Assert.That(health, Is.EqualTo("{\"status\":\"ok\"}\n"));
    }

    /// <summary>
    /// A free port outside the range the kernel picks client ports from: a client connecting in a loop to a closed
    /// ephemeral port can be given that very port and connect to itself, and the next start would find it in use.
    /// </summary>
    private static int PortBelowTheEphemeralRange()
    {
        for (var port = 20000 + Random.Shared.Next(5000); ; port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    private static StatusServer Start(RecordingLogger logger) => StatusServer.Start(new IPEndPoint(IPAddress.Loopback, 0), () => Report, logger);

    private static Uri Url(StatusServer server, string path) => new($"http://127.0.0.1:{server.LocalEndPoint.Port}{path}");

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>Sends the bytes and reads until the server closes; status 0 when nothing came back.</summary>
    private static async Task<Answer> ExchangeAsync(IPEndPoint endpoint, byte[] request, bool tolerateReset = false)
    {
        using var socket = await ConnectAsync(endpoint);
        var received = new MemoryStream();
        try
        {
            await socket.SendAsync(request, SocketFlags.None);
            var buffer = new byte[4096];
            int read;
            using var limit = new CancellationTokenSource(Eventually.Limit);
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (tolerateReset)
        {
        }

        return Answer.Parse(received.ToArray());
    }

    private sealed record Answer(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body, string Text)
    {
        public string? Header(string name) => Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

        public static Answer Parse(byte[] bytes)
        {
            var text = Encoding.ASCII.GetString(bytes);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return new Answer(0, [], [], text);
            }

            var lines = text[..end].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
            return new Answer(status, headers, bytes[(end + 4)..], text);
        }
    }
}
