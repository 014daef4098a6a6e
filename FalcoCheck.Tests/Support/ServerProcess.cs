using System.Diagnostics;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A real server binary started for a test on 127.0.0.1 with a free port and a temporary data folder, waited for
/// until its readiness URL answers, and killed with its folder removed on dispose. A missing binary fails the test
/// with the command that installs it (never a silent skip).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    private readonly ProcessStartInfo _start;
    private readonly string _binary;
    private readonly string _readyPath;
    private Process _process;

    private ServerProcess(Process process, ProcessStartInfo start, string binary, string readyPath, string folder, int port)
    {
        _process = process;
        _start = start;
        _binary = binary;
        _readyPath = readyPath;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static HttpClient Client => Http;

    public static async Task<ServerProcess> StartAsync(string binary, string package, Func<int, string, IEnumerable<string>> arguments, string readyPath)
    {
        string? path = Find(binary);
        if (path is null)
        {
            Assert.Fail($"'{binary}' is not installed; ./test.sh installs it (apt-get install -y {package})");
        }

        int port = TestHttpServer.FreePort();
        string folder = Directory.CreateTempSubdirectory($"falcocheck-{binary}-").FullName;
        var start = new ProcessStartInfo(path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments(port, folder))
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(Launch(start), start, binary, readyPath, folder, port);
        await server.WaitReadyAsync(readyPath, binary);
        return server;
    }

    /// <summary>
    /// Stops the server as its service manager would (SIGTERM, so it writes what it acknowledged to disk; SIGKILL
    /// after 20 s) and keeps its data folder and port for <see cref="RestartAsync"/>: an outage.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Kills the server at once (SIGKILL: no shutdown, no flush, connections cut mid-request), as a crash or an OOM
    /// kill would, and keeps its data folder and port for <see cref="RestartAsync"/>.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port and data, and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process.Dispose();
        _process = Launch(_start);
        await WaitReadyAsync(_readyPath, _binary);
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static Process Launch(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        // Drain the pipes so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
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

    private async Task WaitReadyAsync(string readyPath, string binary)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{binary} exited with code {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await Http.GetAsync(BaseUrl + readyPath);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{binary} was not ready within 30 s at {BaseUrl}{readyPath}");
    }

    private static string? Find(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}
