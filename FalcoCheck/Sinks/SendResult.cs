namespace FalcoCheck.Sinks;

/// <summary>The outcome of handing a submission to a sink. Sinks return it; they never throw (CONVENTIONS 13).</summary>
internal readonly record struct SendResult(bool Success, int Sent, string? Error)
{
    public static SendResult Ok(int sent) => new(true, sent, null);

    public static SendResult Failed(string error) => new(false, 0, error);
}
