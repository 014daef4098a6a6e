using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FalcoCheck.Alerts;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// Replays Falco's documented alert (samples/alerts, the fixture of /work/shared/fixtures/falco-alerts) as a live
/// stream into a receiver, as Falco's <c>http_output</c> sends it: one alert per <c>POST</c>, <c>application/json</c>,
/// paced to a rate. Alert <c>n</c> is the fixture with its own pod (<c>k8s.pod.name</c> = <c>kubecon-n</c>, also in
/// the output line), the time it is sent, and the priority <see cref="Priority"/> gives it: the pod is its identity
/// in every sink, Alertmanager's labels included (Alertmanager merges alerts with equal labels).
/// </summary>
internal sealed class FalcoAlertReplay
{
    /// <summary>Posts in flight at once: a busy 2-core machine cannot answer 1,000 sequential round trips a second.</summary>
    private const int InFlight = 8;

    private static readonly FalcoPriority[] Cycle =
    [
        FalcoPriority.Emergency, FalcoPriority.Alert, FalcoPriority.Critical, FalcoPriority.Error,
        FalcoPriority.Warning, FalcoPriority.Notice, FalcoPriority.Informational, FalcoPriority.Debug,
    ];

    private readonly JsonObject _fixture;
    private readonly string _output;
    private readonly Uri _receiver;
    /// <summary>The priority each alert was sent with, as a number; -1 until it is sent.</summary>
    private readonly int[] _priorities;
    private int _issued;

    public FalcoAlertReplay(Uri receiver, int total)
    {
        _receiver = receiver;
        _fixture = JsonNode.Parse(AlertSamples.OneLine)!.AsObject();
        _output = (string)_fixture["output"]!;
        Assert.That(_output, Does.StartWith("13:44:05.478445995: Critical ").And.Contain(" k8s.pod=kubecon "), "the fixture's output line");
        Total = total;
        _priorities = new int[total + 1];
        Array.Fill(_priorities, -1);
    }

    public int Total { get; }

    /// <summary>The priority of alert n: all eight in turn.</summary>
    public Func<int, FalcoPriority> Priority { get; } = n => Cycle[(n - 1) % Cycle.Length];

    /// <summary>Alerts handed to the receiver so far (answered or not).</summary>
    public int Issued => Volatile.Read(ref _issued);

    public static string Pod(int n) => "kubecon-" + n.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>n from a pod name <see cref="Pod"/> made; 0 for any other.</summary>
    public static int Number(string? pod) =>
        pod is not null && pod.StartsWith("kubecon-", StringComparison.Ordinal) && int.TryParse(pod.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

    /// <summary>The priority alert n was sent with; null when it was not sent.</summary>
    public FalcoPriority? PriorityOf(int n) => n >= 1 && n <= Total && Volatile.Read(ref _priorities[n]) is >= 0 and var p ? (FalcoPriority)p : null;

    /// <summary>The alerts sent at or above <paramref name="minimum"/>, in order.</summary>
    public int[] SentAtOrAbove(FalcoPriority minimum) =>
        [.. Enumerable.Range(1, Total).Where(n => PriorityOf(n) is { } p && p <= minimum)];

    /// <summary>Alert n as Falco writes it with <c>json_output: true</c>, at <paramref name="time"/>.</summary>
    public string Alert(int n, FalcoPriority priority, DateTime time)
    {
        string name = FalcoCheck.Sinks.Logs.AlertDocument.Name(priority);
        string pod = Pod(n);
        long nanos = (time - DateTime.UnixEpoch).Ticks * 100;
        string clock = time.ToString("HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture) + "00";
        _fixture["priority"] = name;
        _fixture["time"] = time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture) + "00Z";
        _fixture["output"] = clock + ": " + name + _output["13:44:05.478445995: Critical".Length..].Replace(" k8s.pod=kubecon ", " k8s.pod=" + pod + " ", StringComparison.Ordinal);
        JsonObject fields = _fixture["output_fields"]!.AsObject();
        fields["k8s.pod.name"] = pod;
        fields["evt.time"] = nanos;
        return _fixture.ToJsonString();
    }

    /// <summary>
    /// Sends alerts 1..<see cref="Total"/> at <paramref name="perSecond"/> (0: as fast as the receiver answers), each
    /// its own <c>POST</c>; fails the test on any answer but 200 with <c>"accepted":1</c>. Returns the time it took.
    /// </summary>
    public async Task<TimeSpan> RunAsync(HttpClient client, int perSecond, CancellationToken cancellationToken = default)
    {
        using var slots = new SemaphoreSlim(InFlight);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var pending = new List<Task>(InFlight * 2);
        var clock = Stopwatch.StartNew();
        for (int n = 1; n <= Total; n++)
        {
            if (perSecond > 0)
            {
                TimeSpan ahead = TimeSpan.FromSeconds((double)(n - 1) / perSecond) - clock.Elapsed;
                if (ahead > TimeSpan.FromMilliseconds(5))
                {
                    await Task.Delay(ahead, cancellationToken);
                }
            }

            await slots.WaitAsync(cancellationToken);
            FalcoPriority priority = Priority(n);
            Volatile.Write(ref _priorities[n], (int)priority);
            string body = Alert(n, priority, DateTime.UtcNow);
            Interlocked.Increment(ref _issued);
            int number = n;
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                    using HttpResponseMessage response = await client.PostAsync(_receiver, content, cancellationToken);
                    string answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (response.StatusCode != HttpStatusCode.OK || !answer.Contains("\"accepted\":1", StringComparison.Ordinal))
                    {
                        failures.Enqueue($"alert {number}: {(int)response.StatusCode} {answer}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"alert {number}: {e.Message}");
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
            if (pending.Count >= InFlight * 2)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending);
        TimeSpan took = clock.Elapsed;
        Assert.That(failures, Is.Empty, "every alert taken by the receiver");
        return took;
    }
}
