using Microsoft.Extensions.Hosting;

namespace FalcoCheck.Runtime;

/// <summary>
/// The lifetime of a web host started inside a command or the daemon (the alert receiver, the replay server): those
/// own Ctrl+C and SIGTERM, and the default console lifetime would take the signals for itself and keep the process alive.
/// </summary>
internal sealed class InnerHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
