using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using FalcoCheck.Runtime;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// <c>falcocheck run</c> as its own process, as systemd or a container runtime starts it: signals are real
/// (sent with kill(1)), and the status endpoint is read over HTTP.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly Uri _status;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(15) };

    private DaemonProcess(Process process, int statusPort)
    {
        _process = process;
        _status = new Uri($"http://127.0.0.1:{statusPort}/status");
    }

    public int Pid => _process.Id;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <param name="binary">A native build to run instead of <c>dotnet falcocheck.dll</c>.</param>
    public static DaemonProcess Start(string agentPath, int statusPort, IReadOnlyDictionary<string, string>? environment = null, string? binary = null)
    {
        var start = new ProcessStartInfo(binary ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (binary is null)
        {
            start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "falcocheck.dll"));
        }

        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(agentPath);
        // Not under systemd, whatever runs the tests.
        start.Environment.Remove("INVOCATION_ID");
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("JOURNAL_STREAM");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var daemon = new DaemonProcess(process, statusPort);
        process.OutputDataReceived += (_, e) => Append(daemon._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(daemon._errors, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>The status report, or null while the daemon is not answering yet.</summary>
    public async Task<StatusReport?> StatusAsync()
    {
        try
        {
            return await _client.GetFromJsonAsync(_status, StatusJsonContext.Default.StatusReport);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Waits until the status satisfies <paramref name="condition"/>; fails with the daemon's log otherwise.</summary>
    public async Task<StatusReport> WaitForAsync(Func<StatusReport, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Eventually.Limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"falcocheck run exited ({_process.ExitCode}) while waiting for: {what}\n{Errors}");
            }

            if (await StatusAsync() is { } report && condition(report))
            {
                return report;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"gave up waiting: {what}\n{Errors}");
        return null!;
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} {Pid}");
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await SignalAsync("TERM");
        using var limit = new CancellationTokenSource(Eventually.Limit);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _client.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }
}
