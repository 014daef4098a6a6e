using System.Text.Json;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// A <see cref="Daemon"/> in the test process on a fake clock: the test moves time one interval at a time and
/// waits for the runs that brings, so schedules are checked by count, never by wall-clock duration. HTTP and
/// the file sink are real.
/// </summary>
internal sealed class DaemonHarness : IAsyncDisposable
{
    private DaemonHarness(TestConfig config, Daemon daemon, FakeTimeProvider clock)
    {
        Config = config;
        Daemon = daemon;
        Clock = clock;
    }

    /// <summary>Owned by the test (it outlives a daemon when a test restarts one).</summary>
    public TestConfig Config { get; }

    public Daemon Daemon { get; }

    /// <summary>Starts at the real time, so Falco's recorded start timestamps lie in the past as they would.</summary>
    public FakeTimeProvider Clock { get; }

    public StringWriter Console { get; } = new();

    public static async Task<DaemonHarness> StartAsync(TestConfig config, FakeTimeProvider? clock = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (agent, check) = config.Load();
        Assert.That(check.Errors.Select(e => e.ToString()), Is.Empty, "the test's configuration is valid");
        var console = new StringWriter();
        var daemon = new Daemon(
            new DaemonOptions { ConfigArgument = config.AgentPath, Agent = agent, Check = check, GetEnv = _ => null, Console = console },
            loggers ?? NullLoggerFactory.Instance,
            clock);
        await daemon.StartAsync(CancellationToken.None);
        return new DaemonHarness(config, daemon, clock);
    }

    public InstanceReport Instance(int index) => Daemon.Report().Instances.Single(i => i.Index == index);

    /// <summary>Moves the clock one interval and waits until each listed instance has finished that many runs.</summary>
    public async Task AdvanceAsync(TimeSpan interval, params (int Index, long Runs)[] expected)
    {
        Clock.Advance(interval);
        foreach (var (index, runs) in expected)
        {
            await Eventually.WaitAsync(() => Instance(index).Runs >= runs, $"instance {index} reaches {runs} run(s)");
        }
    }

    public bool Stopped { get; private set; }

    /// <summary>
    /// Stops the daemon. Its grace periods run on the fake clock, so a stop still waiting after a few real seconds
    /// (a backend that never answers, in a test that already failed) gets its clock moved until the waits are over,
    /// rather than hanging the run.
    /// </summary>
    public async Task StopAsync()
    {
        if (!Stopped)
        {
            Stopped = true;
            var stopping = Daemon.StopAsync(CancellationToken.None);
            if (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(5))) != stopping)
            {
                while (!stopping.IsCompleted)
                {
                    Clock.Advance(TimeSpan.FromSeconds(1));
                    await Task.WhenAny(stopping, Task.Delay(50));
                }
            }

            await stopping;
        }
    }

    /// <summary>What the file sink wrote (JSON lines).</summary>
    public List<JsonElement> Written() =>
        File.Exists(Config.MetricsFile) ? CheckRun.ParseLines(File.ReadAllText(Config.MetricsFile)) : [];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Daemon.DisposeAsync();
    }
}
