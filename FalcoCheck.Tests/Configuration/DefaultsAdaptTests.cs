using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>
/// Defaults never make a config invalid: a value the user did not write adapts to those they did (the default
/// timeout shrinks to the interval, the default interval grows to the longest timeout); only written values conflict
/// (their errors, naming both places, are in <see cref="InstanceErrorTests"/>).
/// </summary>
internal sealed class DefaultsAdaptTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("interval 2 alone: timeouts follow it", Instance("min_collection_interval: 2"), interval: 2, timeout: 2, connect: 2, read: 2);
        yield return Case("interval 0.5 alone", Instance("min_collection_interval: 0.5"), interval: 0.5, timeout: 0.5, connect: 0.5, read: 0.5);
        yield return Case("interval 12 alone: the default timeout stays 10", Instance("min_collection_interval: 12"), interval: 12, timeout: 10, connect: 10, read: 10);
        yield return Case("interval 2 and a shorter read_timeout", Instance("min_collection_interval: 2\n    read_timeout: 1"), interval: 2, timeout: 2, connect: 2, read: 1);
        yield return Case("timeout 20 alone: the default interval grows", Instance("timeout: 20"), interval: 20, timeout: 20, connect: 20, read: 20);
        yield return Case("read_timeout 16 alone", Instance("read_timeout: 16"), interval: 16, timeout: 10, connect: 10, read: 16);
        yield return Case("init_config.timeout 30 alone", "init_config:\n  timeout: 30\n" + Instance(), interval: 30, timeout: 30, connect: 30, read: 30);
        yield return Case("init_config.timeout 8 with interval 9", "init_config:\n  timeout: 8\n" + Instance("min_collection_interval: 9"), interval: 9, timeout: 8, connect: 8, read: 8);
        yield return Case("instance timeout wins over init_config.timeout", "init_config:\n  timeout: 30\n" + Instance("min_collection_interval: 5\n    timeout: 5"),
            interval: 5, timeout: 5, connect: 5, read: 5);
        yield return Case("nothing written", Instance(), interval: 15, timeout: 10, connect: 10, read: 10);
    }

    [TestCaseSource(nameof(Cases))]
    public void A_default_adapts_to_what_was_written(string yaml, double interval, double timeout, double connect, double read)
    {
        var instance = InstanceOptionTests.LoadOne(yaml);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(instance.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(interval)));
            Assert.That(instance.Timeout, Is.EqualTo(TimeSpan.FromSeconds(timeout)));
            Assert.That(instance.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(connect)));
            Assert.That(instance.ReadTimeout, Is.EqualTo(TimeSpan.FromSeconds(read)));
        }
    }

    private static TestCaseData Case(string name, string yaml, double interval, double timeout, double connect, double read) =>
        new TestCaseData(yaml, interval, timeout, connect, read).SetName(name);

    private static IEnumerable<TestCaseData> Backoffs()
    {
        yield return new TestCaseData("retry_initial_backoff: 60", 60.0, 60.0).SetName("retry_initial_backoff 60 alone raises the default maximum");
        yield return new TestCaseData("retry_max_backoff: 0.5", 0.5, 0.5).SetName("retry_max_backoff 0.5 alone lowers the default initial");
        yield return new TestCaseData("retry_initial_backoff: 2", 2.0, 30.0).SetName("retry_initial_backoff 2 keeps the default maximum");
        yield return new TestCaseData("retry_max_backoff: 5", 1.0, 5.0).SetName("retry_max_backoff 5 keeps the default initial");
    }

    [TestCaseSource(nameof(Backoffs))]
    public void A_default_backoff_adapts_to_the_written_one(string option, double initial, double max)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", $"sinks:\n  - type: otlp\n    url: http://c/\n    {option}\n");

        var delivery = ((OtlpSinkConfig)ConfigLoader.LoadAgent(path, NoEnv).Sinks[0]).Options.Delivery;

        Assert.That((delivery.RetryInitialBackoff, delivery.RetryMaxBackoff), Is.EqualTo((TimeSpan.FromSeconds(initial), TimeSpan.FromSeconds(max))));
    }
}
