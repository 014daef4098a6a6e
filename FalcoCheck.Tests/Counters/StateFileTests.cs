using FalcoCheck.Counters;

namespace FalcoCheck.Tests.Counters;

internal sealed class StateFileTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("falcocheck-state-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Saved_state_loads_back_with_every_counter_and_Falco_timestamp()
    {
        var state = new CounterState();
        state.BeginRun(1_000_000, TimeSpan.FromSeconds(15), 1747146391215396732, 1747146391215396999);
        state.TryGetDelta("falco.rules.matches.count|h|rule:x", 12, out _);
        state.EndRun();

        using (var file = await StateFile.AcquireAsync(_folder, "http://127.0.0.1:8765/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            file.Save(state);
        }

        var loaded = new CounterState();
        using (var file = await StateFile.AcquireAsync(_folder, "http://127.0.0.1:8765/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            Assert.That(file.LoadInto(loaded), Is.Null);
        }

        Assert.That(loaded.FalcoStartNs, Is.EqualTo(1747146391215396732), "19-digit timestamps survive exactly");
        Assert.That(loaded.FalcoReloadNs, Is.EqualTo(1747146391215396999));
        Assert.That(loaded.LastRunMs, Is.EqualTo(1_000_000));
        Assert.That(loaded.Values.Single().Value.Value, Is.EqualTo(12));
    }

    [Test]
    public async Task A_second_run_waits_for_the_lock_of_the_first()
    {
        using var first = await StateFile.AcquireAsync(_folder, "http://a/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None);

        var second = StateFile.AcquireAsync(_folder, "http://a/metrics", discovered: false, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.ThrowsAsync<IOException>(async () => await second);
    }

    [Test]
    public async Task A_corrupt_state_file_is_reported_and_ignored()
    {
        var name = StateFile.FileNameFor("http://a/metrics");
        await File.WriteAllTextAsync(Path.Combine(_folder, name), "{not json");
        using var file = await StateFile.AcquireAsync(_folder, "http://a/metrics", discovered: false, TimeSpan.FromSeconds(1), CancellationToken.None);
        var state = new CounterState();

        Assert.That(file.LoadInto(state), Does.Contain("unreadable"));
        Assert.That(state.Count, Is.Zero);
    }

    [Test]
    public void Each_endpoint_has_its_own_file()
    {
        Assert.That(StateFile.FileNameFor("http://10.0.0.1:8765/metrics"), Is.Not.EqualTo(StateFile.FileNameFor("http://10.0.0.2:8765/metrics")));
        Assert.That(StateFile.FileNameFor("http://10.0.0.1:8765/metrics"), Does.StartWith("falco_10.0.0.1_8765_"));
    }
}
