using System.Text.Json;

namespace FalcoCheck.Discovery.Api;

/// <summary>
/// meta/v1 WatchEvent, one per line of a watch response: <c>type</c> ADDED, MODIFIED, DELETED, BOOKMARK or ERROR;
/// <c>object</c> a pod (only its metadata.resourceVersion for a BOOKMARK) or, for ERROR, a <see cref="V1Status"/>.
/// The object stays raw until the type says what it is.
/// </summary>
internal sealed record WatchEvent
{
    public string? Type { get; init; }

    public JsonElement Object { get; init; }
}
