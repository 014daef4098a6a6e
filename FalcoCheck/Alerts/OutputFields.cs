using System.Text.Json;

namespace FalcoCheck.Alerts;

/// <summary>
/// Looks up a Falco field in an alert's <c>output_fields</c>, which Falco writes flat
/// (<c>"k8s.ns.name": "default"</c>) and some forwarders and Datadog's own test sample write nested
/// (<c>"k8s": {"ns": {"name": "default"}}</c>). Both shapes answer the same dotted path.
/// </summary>
internal static class OutputFields
{
    public static bool TryGet(JsonElement fields, string path, out JsonElement value)
    {
        value = default;
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (fields.TryGetProperty(path, out value))
        {
            return true;
        }

        int dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && fields.TryGetProperty(path.AsSpan(0, dot), out JsonElement child) && TryGet(child, path[(dot + 1)..], out value);
    }

    /// <summary>A field as tag text: strings and numbers; Falco's "not available" markers and empty values give null.</summary>
    public static string? TagText(JsonElement fields, string path)
    {
        if (!TryGet(fields, path, out JsonElement value))
        {
            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };

        // Falco writes <NA> (and, for some fields, "N/A") when a value is not available.
        return string.IsNullOrWhiteSpace(text) || text is "<NA>" or "N/A" ? null : text;
    }
}
