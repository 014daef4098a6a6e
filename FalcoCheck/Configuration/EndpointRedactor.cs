namespace FalcoCheck.Configuration;

/// <summary>
/// The one place that turns an endpoint into printable text (CONVENTIONS 14): scheme, host, port and path,
/// never user-info or query, since either may carry credentials (OpenTelemetry .NET's RedactEndpointUri does
/// the same).
/// </summary>
internal static class EndpointRedactor
{
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            // A relative URI has no user-info, but may still have a query string.
            string text = uri.OriginalString;
            int cut = text.IndexOfAny(['?', '#']);
            return cut < 0 ? text : text[..cut];
        }

        // UriComponents.Port gives the port only when it is not the scheme's default, as a user would write it.
        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
