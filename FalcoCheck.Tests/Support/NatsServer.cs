using System.Globalization;
using System.Text;
using System.Text.Json;
using NATS.Client.Core;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// Debian's real <c>nats-server</c> on 127.0.0.1 (a free client port, a free monitoring port for readiness), with
/// JetStream on in the server's temporary folder so a test can keep what is published across a restart.
/// </summary>
internal sealed class NatsServer : IAsyncDisposable
{
    private NatsServer(ServerProcess process, int clientPort)
    {
        Process = process;
        ClientPort = clientPort;
    }

    public ServerProcess Process { get; }

    public int ClientPort { get; }

    public Uri Url => new($"nats://127.0.0.1:{ClientPort}");

    /// <summary>
    /// With <paramref name="user"/>, clients must log in with that user and password; with <paramref name="maxPayload"/>,
    /// the server takes messages (headers and payload) of at most that many bytes (its <c>max_payload</c>, 1 MiB by default).
    /// </summary>
    public static async Task<NatsServer> StartAsync((string Name, string Password)? user = null, int? maxPayload = null)
    {
        int clientPort = TestHttpServer.FreePort();
        string[] login = user is { } u ? ["--user", u.Name, "--pass", u.Password] : [];
        ServerProcess process = await ServerProcess.StartAsync("nats-server", "nats-server",
            (port, folder) => ["-a", "127.0.0.1", "-p", clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-m", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", folder, .. login, .. Limits(folder, maxPayload)],
            "/healthz");
        return new NatsServer(process, clientPort);
    }

    /// <summary>max_payload has no command-line flag: a configuration file beside the server's data.</summary>
    private static string[] Limits(string folder, int? maxPayload)
    {
        if (maxPayload is not { } max)
        {
            return [];
        }

        string path = Path.Combine(folder, "limits.conf");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"max_payload: {max}\n"));
        return ["-c", path];
    }

    public NatsConnection Connect() => new(new NatsOpts { Url = Url.AbsoluteUri, Name = "falcocheck-test" });

    /// <summary>
    /// A file-backed JetStream stream over <paramref name="subjects"/>, through the raw JetStream API; it drops a
    /// message whose <c>Nats-Msg-Id</c> it stored within <paramref name="duplicateWindow"/> (the server's default,
    /// 2 minutes, when null).
    /// </summary>
    public static async Task CreateStreamAsync(NatsConnection connection, string name, string subjects, TimeSpan? duplicateWindow = null)
    {
        string window = duplicateWindow is { } w ? string.Create(CultureInfo.InvariantCulture, $",\"duplicate_window\":{w.Ticks * 100}") : "";
        string body = $$"""{"name":"{{name}}","subjects":["{{subjects}}"],"storage":"file"{{window}}}""";
        NatsMsg<byte[]> reply = await connection.RequestAsync<byte[], byte[]>("$JS.API.STREAM.CREATE." + name, Encoding.UTF8.GetBytes(body));
        Assert.That(Encoding.UTF8.GetString(reply.Data!), Does.Not.Contain("\"error\""));
        if (duplicateWindow is { } expected)
        {
            using JsonDocument created = JsonDocument.Parse(reply.Data!);
            long nanoseconds = created.RootElement.GetProperty("config").GetProperty("duplicate_window").GetInt64();
            Assert.That(TimeSpan.FromTicks(nanoseconds / 100), Is.EqualTo(expected), "the stream's duplicate window as asked");
        }
    }

    public static async Task<long> StreamCountAsync(NatsConnection connection, string name)
    {
        NatsMsg<byte[]> reply = await connection.RequestAsync<byte[], byte[]>("$JS.API.STREAM.INFO." + name, []);
        using JsonDocument info = JsonDocument.Parse(reply.Data!);
        return info.RootElement.GetProperty("state").GetProperty("messages").GetInt64();
    }

    /// <summary>Every message of the stream, in order: (subject, payload).</summary>
    public static async Task<List<(string Subject, byte[] Data)>> StreamMessagesAsync(NatsConnection connection, string name, long count)
    {
        var messages = new List<(string, byte[])>();
        for (long seq = 1; seq <= count; seq++)
        {
            byte[] request = Encoding.UTF8.GetBytes($$"""{"seq":{{seq}}}""");
            NatsMsg<byte[]> reply = await connection.RequestAsync<byte[], byte[]>("$JS.API.STREAM.MSG.GET." + name, request);
            using JsonDocument message = JsonDocument.Parse(reply.Data!);
            JsonElement m = message.RootElement.GetProperty("message");
            messages.Add((m.GetProperty("subject").GetString()!, Convert.FromBase64String(m.GetProperty("data").GetString()!)));
        }

        return messages;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
