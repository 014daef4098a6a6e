namespace FalcoCheck.Discovery.Api;

/// <summary>
/// meta/v1 Status: the body of a failed request, and the object of a watch ERROR event (code 410 with reason
/// "Expired" or "Gone" when the watched resourceVersion is too old).
/// </summary>
internal sealed record V1Status
{
    public string? Status { get; init; }

    public string? Message { get; init; }

    public string? Reason { get; init; }

    public int? Code { get; init; }
}
