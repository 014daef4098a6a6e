using System.Diagnostics;
using System.Net.Sockets;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// Debian's real <c>rsyslogd</c>, started in the foreground on 127.0.0.1 and a free port (UDP and TCP, or TLS with
/// the gtls driver), writing each message it receives as one tab-separated line of its parsed fields to a file.
/// </summary>
internal sealed class RsyslogServer : IAsyncDisposable
{
    private readonly Process _process;

    private RsyslogServer(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    public string ReceivedPath => Path.Combine(Folder, "received.log");

    /// <summary>facility, severity, TIMESTAMP, HOSTNAME, APP-NAME, STRUCTURED-DATA, MSG: one message per line.</summary>
    public string[][] Received() => File.Exists(ReceivedPath)
        ? [.. File.ReadAllLines(ReceivedPath).Where(l => l.Length > 0).Select(l => l.Split('\t'))]
        : [];

    /// <summary>With <paramref name="tls"/> (CA, server certificate and key PEM paths) the TCP input speaks TLS only.</summary>
    public static async Task<RsyslogServer> StartAsync((string Ca, string Cert, string Key)? tls = null, int? port = null)
    {
        const string binary = "/usr/sbin/rsyslogd";
        if (!File.Exists(binary))
        {
            Assert.Fail("rsyslogd is not installed; ./test.sh installs it (apt-get install -y rsyslog rsyslog-gnutls)");
        }

        int listen = port ?? TestHttpServer.FreePort();
        string folder = Directory.CreateTempSubdirectory("falcocheck-rsyslog-").FullName;
        string inputs = tls is { } t
            ? $"""
               global(DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="{t.Ca}" DefaultNetstreamDriverCertFile="{t.Cert}" DefaultNetstreamDriverKeyFile="{t.Key}")
               module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
               input(type="imtcp" address="127.0.0.1" port="{listen}")
               """
            : $"""
               module(load="imudp")
               module(load="imtcp")
               input(type="imudp" address="127.0.0.1" port="{listen}")
               input(type="imtcp" address="127.0.0.1" port="{listen}")
               """;
        string config = $"""
            global(workDirectory="{folder}" maxMessageSize="64k")
            {inputs}
            template(name="received" type="string" string="%syslogfacility%\t%syslogseverity%\t%timereported:::date-rfc3339%\t%hostname%\t%app-name%\t%structured-data%\t%msg%\n")
            *.* action(type="omfile" file="{folder}/received.log" template="received")

            """;
        string configPath = Path.Combine(folder, "rsyslog.conf");
        await File.WriteAllTextAsync(configPath, config);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-n", "-f", configPath, "-i", Path.Combine(folder, "rsyslogd.pid") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RsyslogServer(process, folder, listen);
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                Assert.Fail($"rsyslogd exited with code {process.ExitCode}: {string.Join('\n', output)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", listen);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await server.DisposeAsync();
        Assert.Fail("rsyslogd did not listen within 30 s");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
