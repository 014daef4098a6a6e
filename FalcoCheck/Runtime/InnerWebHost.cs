using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// The Kestrel host a command or the daemon starts inside itself (the alert receiver, the replay server): the slim
/// builder, no logging providers, no appsettings watcher, and a lifetime that leaves the signals to the process.
/// </summary>
internal static class InnerWebHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Nothing is read from appsettings files, so no watcher for them (one per host otherwise).
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = "falcocheck",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, InnerHostLifetime>();
        builder.WebHost.ConfigureKestrel(static kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>The first address Kestrel bound, with the real port when port 0 was asked for.</summary>
    public static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>
    /// The command or the daemon owns Ctrl+C and SIGTERM: the default console lifetime would take the signals for
    /// itself and keep the process alive.
    /// </summary>
    private sealed class InnerHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
