namespace FalcoCheck.Alerts;

/// <summary>Timing of the file follower.</summary>
internal sealed record FollowOptions
{
    /// <summary>How often the file is checked for new lines, truncation and rotation.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a rotated file must stay quiet before it is closed (Falco writes to it until SIGUSR1).</summary>
    public TimeSpan RotateWait { get; init; } = TimeSpan.FromSeconds(5);
}
