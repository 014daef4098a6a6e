using System.Diagnostics;
using System.Globalization;
using FalcoCheck.Alerts;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// One <c>falcocheck run</c> (the built program as its own process, as systemd starts it) with its <c>alerts:</c>
/// receiver and the six sinks of <see cref="AlertDestinations"/>, fed by <see cref="FalcoAlertReplay"/>. While it
/// runs, the daemon's status and /proc are sampled every second for the peaks the README quotes: resident memory
/// (VmHWM), managed heap, and each sink's spool.
/// </summary>
internal sealed class AlertFanOut : IAsyncDisposable
{
    private readonly ReplayServer _falco;
    private readonly TestConfig _config;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly Uri _receiver;

    private AlertFanOut(AlertDestinations destinations, ReplayServer falco, TestConfig config, DaemonProcess daemon, int receiverPort, int total)
    {
        Destinations = destinations;
        _falco = falco;
        _config = config;
        Daemon = daemon;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromSeconds(30) };
        _receiver = new Uri($"http://127.0.0.1:{receiverPort}/");
        Replay = new FalcoAlertReplay(_receiver, total);
        _sampler = Task.Run(SampleAsync);
    }

    public AlertDestinations Destinations { get; }

    public DaemonProcess Daemon { get; }

    public FalcoAlertReplay Replay { get; }

    public HttpClient Client { get; }

    /// <summary>Highest VmHWM of the daemon seen, bytes.</summary>
    public long PeakResidentBytes { get; private set; }

    /// <summary>Highest managed heap (after a collection) the daemon reported, bytes.</summary>
    public long PeakHeapBytes { get; private set; }

    /// <summary>Highest spool bytes per sink name seen in the status.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> PeakSpoolBytes { get; } = [];

    /// <param name="binary">A NativeAOT build to run instead of <c>dotnet falcocheck.dll</c>.</param>
    public static async Task<AlertFanOut> StartAsync(int total, string? binary = null)
    {
        AlertDestinations destinations = await AlertDestinations.StartAsync();
        // run needs a check instance; a replayed Falco scraped every 15 s costs next to nothing beside the alerts.
        ReplayServer falco = ReplayServer.StartEmbedded();
        int statusPort = TestHttpServer.FreePort();
        int receiverPort = TestHttpServer.FreePort();
        var config = new TestConfig(
            $"  - openmetrics_endpoint: {falco.BaseUrl}/metrics\n",
            $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n" + destinations.AlertsYaml(receiverPort));
        DaemonProcess daemon = DaemonProcess.Start(config.AgentPath, statusPort, binary: binary);
        var fanOut = new AlertFanOut(destinations, falco, config, daemon, receiverPort, total);
        try
        {
            await daemon.WaitForAsync(s => s.Sinks.Count(k => !k.Name.StartsWith("file:", StringComparison.Ordinal)) >= 6, "the six alert sinks in the status");
            await Eventually.TrueAsync(async () => await fanOut.ReceiverUpAsync(), "the alert receiver answering");
            return fanOut;
        }
        catch
        {
            // No server or daemon left behind for the next test.
            await fanOut.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> ReceiverUpAsync()
    {
        try
        {
            using HttpResponseMessage response = await Client.GetAsync(new Uri(_receiver, "/healthz"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The status row of the sink whose name starts with <paramref name="type"/> and a colon.</summary>
    public static SinkReport Sink(StatusReport status, string type) =>
        status.Sinks.Single(s => s.Name.StartsWith(type + ":", StringComparison.Ordinal));

    /// <summary>Per sink, when its destination held all its alerts, from the start of <see cref="WaitDeliveredAsync"/> (a second's resolution).</summary>
    public Dictionary<string, TimeSpan> CompletedAfter { get; } = [];

    /// <summary>Waits until every destination holds at least what its route admits of the replay.</summary>
    public async Task<TimeSpan> WaitDeliveredAsync(int seconds)
    {
        var clock = Stopwatch.StartNew();
        var expected = AlertDestinations.Routes.ToDictionary(r => r.Sink, r => (long)Replay.SentAtOrAbove(r.Minimum).Length);
        Dictionary<string, long> counts = [];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            counts = await Destinations.CountsAsync();
            foreach ((string sink, long count) in expected)
            {
                if (counts[sink] >= count)
                {
                    CompletedAfter.TryAdd(sink, clock.Elapsed);
                }
            }

            if (expected.All(e => counts[e.Key] >= e.Value))
            {
                return clock.Elapsed;
            }

            if (limit.IsCancellationRequested)
            {
                Assert.Fail("gave up waiting for every alert: expected " + string.Join(", ", expected.Select(e => $"{e.Key} {e.Value}"))
                    + "; have " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")) + "\n" + Daemon.Errors);
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>
    /// Every destination holds each alert its route admits once and nothing else: compared as sorted identity lists
    /// (a missing, duplicated or below-threshold alert each shows), and each arrived with the priority it was sent with.
    /// </summary>
    public async Task AssertExactlyOnceAsync()
    {
        Dictionary<string, List<(int N, string Priority)>> received = await Destinations.ReadBackAsync();
        Assert.Multiple(() =>
        {
            foreach ((string sink, FalcoPriority minimum) in AlertDestinations.Routes)
            {
                int[] expected = Replay.SentAtOrAbove(minimum);
                List<(int N, string Priority)> got = received[sink];
                Assert.That(got.Select(a => a.N).Order(), Is.EqualTo(expected), $"{sink} (minimum_priority {minimum}): each alert at or above it once, none below");
                Assert.That(got.Where(a => !AlertPriorities.TryParse(a.Priority, out FalcoPriority p) || p != Replay.PriorityOf(a.N)).Take(5).ToList(),
                    Is.Empty, $"{sink}: the priority each alert was sent with");
            }
        });
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (await Daemon.StatusAsync() is { } status)
                {
                    PeakHeapBytes = Math.Max(PeakHeapBytes, status.GcHeapBytes);
                    foreach (SinkReport sink in status.Sinks)
                    {
                        PeakSpoolBytes.AddOrUpdate(sink.Name, sink.SpoolBytes, (_, peak) => Math.Max(peak, sink.SpoolBytes));
                    }
                }

                PeakResidentBytes = Math.Max(PeakResidentBytes, HighWaterMark(Daemon.Pid));
                await Task.Delay(1000, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or TaskCanceledException)
            {
                // The daemon is stopping: the last sample stands.
            }
        }
    }

    /// <summary>VmHWM of /proc/PID/status (proc(5)), bytes; 0 once the process is gone.</summary>
    private static long HighWaterMark(int pid)
    {
        string path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        await Daemon.DisposeAsync();
        Client.Dispose();
        await _falco.DisposeAsync();
        await Destinations.DisposeAsync();
        _config.Dispose();
        _stop.Dispose();
    }
}
