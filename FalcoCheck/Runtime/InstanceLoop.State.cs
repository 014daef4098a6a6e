using FalcoCheck.Counters;

namespace FalcoCheck.Runtime;

/// <summary>The instance behind the loop, and its counters: carried across reloads, loaded from and saved to state_dir.</summary>
internal sealed partial class InstanceLoop
{
    private async Task<(Instance? Instance, string? Error)> EnsureInstanceAsync(InstanceSettings settings)
    {
        if (_instance is not null)
        {
            return (_instance, null);
        }

        try
        {
            _instance = new Instance(settings, _context.Clock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // TLS files missing or unreadable: CRITICAL with the reason, and another try at the next slot.
            InstanceLoopLog.SetupFailed(_context.Logger, settings.Index, settings.Name, e.Message);
            return (null, e.Message);
        }

        if (_carriedCounters is { } counters)
        {
            _instance.Counters.CarryFrom(counters);

            _carriedCounters = null;
        }
        else if (!_stateLoaded)
        {
            await LoadStateAsync(_instance).ConfigureAwait(false);
        }

        _stateLoaded = true;
        return (_instance, null);
    }

    private async Task LoadStateAsync(Instance instance)
    {
        try
        {
            if (await _context.State.LoadAsync(instance.Settings, instance.Counters).ConfigureAwait(false) is { } warning)
            {
                InstanceLoopLog.StateProblem(_context.Logger, instance.Settings.Index, instance.Settings.Name, warning);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            InstanceLoopLog.StateProblem(_context.Logger, instance.Settings.Index, instance.Settings.Name, $"cannot read counter state in {_context.State.Directory}: {e.Message}; starting afresh");
        }
    }

    private async Task SaveStateAsync()
    {
        if (_instance is not { } instance || instance.Counters.LastRunMs is null)
        {
            return;
        }

        _lastSave = _context.Clock.GetUtcNow();
        try
        {
            await _context.State.SaveAsync(instance.Settings, instance.Counters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            InstanceLoopLog.StateProblem(_context.Logger, instance.Settings.Index, instance.Settings.Name, $"cannot save counter state to {_context.State.Directory}: {e.Message}");
        }
    }
}
