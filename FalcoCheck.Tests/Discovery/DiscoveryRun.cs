using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Tests.Runtime;

namespace FalcoCheck.Tests.Discovery;

/// <summary>A started <see cref="KubernetesDiscovery"/> and the instance sets it handed over.</summary>
internal sealed class DiscoveryRun : IAsyncDisposable
{
    private readonly List<IReadOnlyList<InstanceConfig>> _applied = [];

    /// <param name="connect">Makes the discovery from the reader and the apply callback (kubeconfig or in-cluster).</param>
    public DiscoveryRun(Func<Func<IReadOnlyList<InstanceConfig>, Task>, KubernetesDiscovery> connect)
    {
        Discovery = connect(Apply);
        Discovery.Start();
    }

    public KubernetesDiscovery Discovery { get; }

    public int Applies
    {
        get
        {
            lock (_applied)
            {
                return _applied.Count;
            }
        }
    }

    /// <summary>The last set handed over.</summary>
    public IReadOnlyList<InstanceConfig> Last
    {
        get
        {
            lock (_applied)
            {
                return _applied[^1];
            }
        }
    }

    /// <summary>Endpoints of the last set handed over.</summary>
    public string[] Endpoints
    {
        get
        {
            lock (_applied)
            {
                return _applied.Count == 0 ? [] : [.. _applied[^1].Select(i => i.OpenMetricsEndpoint.ToString()).Order(StringComparer.Ordinal)];
            }
        }
    }

    public Task WaitForAsync(params string[] endpoints) =>
        Eventually.WaitAsync(() => Endpoints.SequenceEqual(endpoints), $"discovered [{string.Join(", ", endpoints)}], have [{string.Join(", ", Endpoints)}]; {Discovery.Report.Message}");

    public ValueTask DisposeAsync() => Discovery.DisposeAsync();

    private Task Apply(IReadOnlyList<InstanceConfig> instances)
    {
        lock (_applied)
        {
            _applied.Add(instances);
        }

        return Task.CompletedTask;
    }
}
