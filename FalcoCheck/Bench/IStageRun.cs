namespace FalcoCheck.Bench;

/// <summary>One stage prepared on one payload; <see cref="RunOnce"/> is what the timed loop repeats.</summary>
internal interface IStageRun : IDisposable
{
    /// <summary>Samples in the payload (as the peers count them: one per sample line).</summary>
    int Series { get; }

    /// <summary>Runs the stage once; returns a checksum so the work cannot be optimised away.</summary>
    long RunOnce();
}
