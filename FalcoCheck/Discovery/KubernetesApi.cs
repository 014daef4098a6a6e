using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FalcoCheck.Discovery.Api;

namespace FalcoCheck.Discovery;

/// <summary>
/// The two requests discovery makes (https://kubernetes.io/docs/reference/using-api/api-concepts/): list pods
/// (cluster-wide or in one namespace, optionally with a field selector), and watch them from a resourceVersion with
/// bookmarks. A small client of our own: the official one's API models made every process, a one-shot check
/// included, start twice as slowly and use twice the memory (README, "Kubernetes discovery").
/// </summary>
internal sealed class KubernetesApi : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("falcocheck", Sinks.ThisAssembly.Version);
    private readonly KubernetesConnection _connection;
    private readonly HttpClient _http;
    private readonly string? _proxy;

    public KubernetesApi(KubernetesConnection connection)
    {
        _connection = connection;
        _proxy = connection.ProxyShown;
        // Each call bounds itself (a list by ListTimeout, a watch by its own timeoutSeconds), so no client timeout.
        _http = new HttpClient(connection.CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Bounds a list, and the wait for a watch's response headers.</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    public async Task<V1PodList> ListPodsAsync(string? ns, string? fieldSelector, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ListTimeout);
        string query = fieldSelector is null ? "?watch=false" : "?fieldSelector=" + Uri.EscapeDataString(fieldSelector) + "&watch=false";
        using var response = await SendAsync(PodsPath(ns) + query, bounded.Token).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(bounded.Token).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, KubernetesJsonContext.Default.V1PodList, bounded.Token).ConfigureAwait(false)
            ?? throw new JsonException("the API sent null for a pod list");
    }

    /// <summary>
    /// Opens a watch from <paramref name="version"/>; the caller reads the body (one <see cref="WatchEvent"/> per line)
    /// and disposes the response. The server ends it after <paramref name="seconds"/>. 410 Gone throws
    /// <see cref="KubernetesApiException"/> with that status, as any other failure.
    /// </summary>
    public async Task<HttpResponseMessage> WatchPodsAsync(string? ns, string? fieldSelector, string version, int seconds, CancellationToken cancellationToken)
    {
        string query = "?watch=true&allowWatchBookmarks=true&resourceVersion=" + Uri.EscapeDataString(version)
            + "&timeoutSeconds=" + seconds.ToString(CultureInfo.InvariantCulture)
            + (fieldSelector is null ? string.Empty : "&fieldSelector=" + Uri.EscapeDataString(fieldSelector));
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(ListTimeout);
        return await SendAsync(PodsPath(ns) + query, headers.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _connection.Dispose();
    }

    private static string PodsPath(string? ns) => ns is null ? "api/v1/pods" : "api/v1/namespaces/" + Uri.EscapeDataString(ns) + "/pods";

    private async Task<HttpResponseMessage> SendAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_connection.Server, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(UserAgent);
        if (_connection.Credentials.Authorization() is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (_proxy is not null)
        {
            // Say which hop failed: the proxy refusing a tunnel (407 without credentials, 403 by its rules, 502) or
            // not answering is not the API being down.
            throw e is { HttpRequestError: HttpRequestError.ProxyTunnelError, StatusCode: { } status }
                ? new KubernetesApiException(status, null, "the proxy " + _proxy + " answered")
                : new KubernetesApiException(KubernetesDiscovery.Describe(e) + " (through the proxy " + _proxy + ")", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            // 407 comes from the proxy (the answer to a CONNECT, or to a request it forwards), not from the API.
            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired && _proxy is not null)
            {
                throw new KubernetesApiException(response.StatusCode, null, "the proxy " + _proxy + " answered");
            }

            throw new KubernetesApiException(response.StatusCode, await StatusMessageAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The message of the Status a failed request answers with (e.g. why RBAC refused), if it sent one.</summary>
    private static async Task<string?> StatusMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            int length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), KubernetesJsonContext.Default.V1Status)?.Message;
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }
}
