using System.Text.Json;
using System.Text.RegularExpressions;
using FalcoCheck.Mapping;

namespace FalcoCheck.Tests.Samples;

/// <summary>Reads Datadog dashboard and monitor JSON and lists every query that names a metric or tag FalcoCheck never sends.</summary>
internal static partial class DatadogQueryChecker
{
    public static List<string> Check(JsonElement document, EmittedCatalog catalog)
    {
        var problems = new List<string>();
        var variables = new HashSet<string>(StringComparer.Ordinal);
        if (document.TryGetProperty("template_variables", out var templates))
        {
            foreach (var variable in templates.EnumerateArray())
            {
                var prefix = variable.GetProperty("prefix").GetString()!;
                variables.Add(variable.GetProperty("name").GetString()!);
                Expect(catalog.TagKeys.Contains(prefix) || catalog.LogFacets.Contains(prefix), $"template variable prefix '{prefix}' is not a tag FalcoCheck sets", problems);
            }
        }

        Walk(document, catalog, variables, problems);
        return problems;
    }

    /// <summary>Checks one metric query such as <c>sum:falco.rules.matches.count{$host} by {rule_name}.as_count()</c>.</summary>
    public static void CheckQuery(string query, EmittedCatalog catalog, HashSet<string> variables, List<string> problems)
    {
        var matches = MetricQuery().Matches(query);
        Expect(matches.Count > 0, $"no metric in query '{query}'", problems);
        foreach (Match match in matches)
        {
            var metric = match.Groups["metric"].Value;
            var counted = match.Groups["as"].Success;
            if (!catalog.Metrics.TryGetValue(metric, out var kind))
            {
                problems.Add($"metric '{metric}' is never sent by FalcoCheck (query '{query}')");
                continue;
            }

            Expect(kind != MetricKind.MonotonicCount || counted, $"count '{metric}' needs .as_count() or .as_rate() (query '{query}')", problems);
            Expect(kind == MetricKind.MonotonicCount || !counted, $"gauge '{metric}' used with .as_count()/.as_rate() (query '{query}')", problems);
            Expect(!metric.EndsWith(".count", StringComparison.Ordinal) || kind == MetricKind.MonotonicCount, $"'{metric}' ends in .count but is not a count", problems);
            foreach (var key in FilterKeys(match.Groups["filter"].Value, variables, problems).Concat(Split(match.Groups["by"].Value)))
            {
                Expect(catalog.TagKeys.Contains(key), $"tag '{key}' in query '{query}' is not a tag FalcoCheck sets", problems);
            }
        }
    }

    private static void Walk(JsonElement element, EmittedCatalog catalog, HashSet<string> variables, List<string> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (IsLogs(element))
                {
                    CheckLogQuery(element, catalog, variables, problems);
                    break;
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "query" or "q" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        CheckAnyQuery(property.Value.GetString()!, catalog, variables, problems);
                    }
                    else if (property.Name == "check" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        Expect(property.Value.GetString() == "falco.openmetrics.health", $"unknown service check '{property.Value.GetString()}'", problems);
                    }
                    else if (property.Name == "group_by" && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var key in property.Value.EnumerateArray())
                        {
                            Expect(catalog.TagKeys.Contains(key.GetString()!), $"group_by '{key.GetString()}' is not a tag FalcoCheck sets", problems);
                        }
                    }
                    else
                    {
                        Walk(property.Value, catalog, variables, problems);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, catalog, variables, problems);
                }

                break;
        }
    }

    private static bool IsLogs(JsonElement element) =>
        (element.TryGetProperty("data_source", out var source) && source.GetString() == "logs") ||
        (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "log_stream");

    /// <summary>A logs query (search, group_by facets) or a log stream (query, columns) over FalcoCheck's alert logs.</summary>
    public static void CheckLogQuery(JsonElement query, EmittedCatalog catalog, HashSet<string> variables, List<string> problems)
    {
        var search = query.TryGetProperty("search", out var s) ? s.GetProperty("query").GetString()! : query.GetProperty("query").GetString()!;
        Expect(search.Contains("source:falco", StringComparison.Ordinal), $"log query '{search}' does not select source:falco", problems);
        foreach (var term in search.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (term.StartsWith('$'))
            {
                Expect(variables.Contains(term[1..]), $"template variable '{term}' is not defined", problems);
            }
            else if (term.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                Expect(catalog.LogFacets.Contains(term[..colon]), $"log search on '{term[..colon]}', which FalcoCheck's alert logs do not have", problems);
            }
        }

        var facets = new List<string>();
        if (query.TryGetProperty("group_by", out var groups))
        {
            facets.AddRange(groups.EnumerateArray().Select(g => g.GetProperty("facet").GetString()!));
        }

        if (query.TryGetProperty("columns", out var columns))
        {
            facets.AddRange(columns.EnumerateArray().Select(c => c.GetString()!));
        }

        foreach (var facet in facets)
        {
            Expect(catalog.LogFacets.Contains(facet), $"log facet '{facet}' is not an attribute or tag of FalcoCheck's alert logs", problems);
        }
    }

    private static void CheckAnyQuery(string query, EmittedCatalog catalog, HashSet<string> variables, List<string> problems)
    {
        var serviceCheck = ServiceCheckQuery().Match(query);
        if (serviceCheck.Success)
        {
            Expect(serviceCheck.Groups["check"].Value == "falco.openmetrics.health", $"unknown service check in '{query}'", problems);
            foreach (Capture key in serviceCheck.Groups["by"].Captures)
            {
                Expect(catalog.TagKeys.Contains(key.Value), $"service check grouped by '{key.Value}', not a tag FalcoCheck sets", problems);
            }

            return;
        }

        if (query.StartsWith("tag:", StringComparison.Ordinal))
        {
            return; // A monitor-summary search, not a metric query.
        }

        CheckQuery(query, catalog, variables, problems);
    }

    private static IEnumerable<string> FilterKeys(string filter, HashSet<string> variables, List<string> problems)
    {
        foreach (var term in TermSplit().Split(filter))
        {
            var item = term.Trim().TrimStart('!').Trim('(', ')');
            if (item.Length == 0 || item == "*")
            {
                continue;
            }

            if (item.StartsWith('$'))
            {
                Expect(variables.Contains(item[1..]), $"template variable '{item}' is not defined", problems);
                continue;
            }

            var inList = InList().Match(item);
            if (inList.Success)
            {
                yield return inList.Groups[1].Value;
                continue;
            }

            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                yield return item[..colon];
            }
        }
    }

    private static IEnumerable<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex(@"(?:sum|avg|max|min|count):(?<metric>[a-zA-Z0-9_.]+)\{(?<filter>[^}]*)\}(?: by \{(?<by>[^}]*)\})?(?<as>\.as_count\(\)|\.as_rate\(\))?")]
    private static partial Regex MetricQuery();

    [GeneratedRegex(@"^""(?<check>[^""]+)""\.over\([^)]*\)\.by\((?:""(?<by>[^""]+)"",?)*\)")]
    private static partial Regex ServiceCheckQuery();

    [GeneratedRegex(@",| OR | AND ")]
    private static partial Regex TermSplit();

    [GeneratedRegex(@"^([a-zA-Z0-9_.]+) IN \(")]
    private static partial Regex InList();
}
