using FalcoCheck.Configuration;

namespace FalcoCheck.Runtime;

/// <summary>Reload: read the files (with discovery, auto_conf.yaml too), refuse any error, then apply sinks, the scrape gate and the instances.</summary>
internal sealed partial class Daemon
{
    private async Task<ReloadReport> ApplyReloadAsync(string trigger, CancellationToken cancellationToken)
    {
        AgentConfig agent;
        try
        {
            agent = ConfigLoader.LoadAgent(_options.ConfigArgument, _options.GetEnv);
        }
        catch (ConfigException e)
        {
            return Refused(trigger, $"{e.Errors.Count} error(s) in the agent file", [.. e.Errors.Select(error => error.ToString())]);
        }

        var check = ConfigLoader.LoadCheck(agent, _options.GetEnv);
        if (check.Errors.Count > 0)
        {
            return Refused(trigger, $"{check.Errors.Count} error(s) in {check.SourceFile}", [.. check.Errors.Select(error => error.ToString())]);
        }

        var template = ReadTemplate(agent, out var templateErrors);
        if (templateErrors.Count > 0)
        {
            return Refused(trigger, $"{templateErrors.Count} error(s) in {ConfigLoader.AutoConfPath(agent)}", templateErrors);
        }

        List<InstanceSettings> settings;
        SinkSet? sinks = null;
        var context = _context!;
        try
        {
            settings = SettingsFor(agent, check);
            if (!context.Sinks.IsSameAs(agent.Sinks))
            {
                // The old sinks flush first (within shutdown_timeout); the new ones queue meanwhile and send after.
                var old = context.Sinks;
                var deadline = new CancellationTokenSource(agent.ShutdownTimeout, _clock);
                var drained = old.DrainAsync(deadline.Token);
                _retiredSinks.Add(drained.ContinueWith(_ => deadline.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
                sinks = SinkSet.Create(agent.Sinks, _options.Console, _sinkLogger, _clock, drained, agent.StateDir);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            return Refused(trigger, e.Message, [e.Message]);
        }

        var needsRestart = RestartOnlyChanges(_agent, agent);
        if (needsRestart.Count > 0)
        {
            DaemonLog.NeedsRestart(_logger, trigger, string.Join(", ", needsRestart));
        }

        if (sinks is not null)
        {
            context.Sinks = sinks;
        }

        if (agent.MaxConcurrentScrapes != _agent.MaxConcurrentScrapes)
        {
            // Runs holding the old gate release it; new runs wait on the new one.
            context.Gate = new SemaphoreSlim(agent.MaxConcurrentScrapes);
        }

        if (template is not null)
        {
            _discovered = _discovery!.Reread(template);
        }

        var (kept, added, removed) = await _scheduler!.ApplyAsync(WithDiscovered(agent, settings, rebuild: true), cancellationToken).ConfigureAwait(false);
        _agent = agent with
        {
            StateDir = _agent.StateDir,
            LogLevel = _agent.LogLevel,
            Status = _agent.Status,
            WatchConfig = _agent.WatchConfig,
            StateFlushInterval = _agent.StateFlushInterval,
            ShutdownTimeout = _agent.ShutdownTimeout,
        };
        _check = check;
        var summary = $"{settings.Count} instance(s): {kept} kept, {added} added, {removed} removed; sinks {(sinks is null ? "unchanged" : "replaced")}";
        DaemonLog.Reloaded(_logger, trigger, summary);
        return new ReloadReport { At = _clock.GetUtcNow(), Trigger = trigger, Applied = true, Summary = summary };
    }

    private ReloadReport Refused(string trigger, string summary, IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            DaemonLog.ConfigError(_logger, error);
        }

        DaemonLog.ReloadRefused(_logger, trigger, summary);
        return new ReloadReport { At = _clock.GetUtcNow(), Trigger = trigger, Applied = false, Summary = summary, Errors = errors };
    }

    /// <summary>Settings read once at start: a reload reports them instead of half-applying them.</summary>
    private static List<string> RestartOnlyChanges(AgentConfig running, AgentConfig next)
    {
        List<string> changed = [];
        if (running.StateDir != next.StateDir)
        {
            changed.Add("state_dir");
        }

        if (running.LogLevel != next.LogLevel)
        {
            changed.Add("log_level");
        }

        if (running.Status != next.Status)
        {
            changed.Add("status");
        }

        if (running.WatchConfig != next.WatchConfig)
        {
            changed.Add("watch_config");
        }

        if (running.StateFlushInterval != next.StateFlushInterval)
        {
            changed.Add("state_flush_interval");
        }

        if (running.ShutdownTimeout != next.ShutdownTimeout)
        {
            changed.Add("shutdown_timeout");
        }

        if (KubernetesChanged(running.Kubernetes, next.Kubernetes))
        {
            changed.Add("kubernetes");
        }

        return changed;
    }
}
