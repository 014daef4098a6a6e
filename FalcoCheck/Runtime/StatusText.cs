using System.Globalization;

namespace FalcoCheck.Runtime;

/// <summary>The text <c>falcocheck status</c> prints, in the spirit of <c>datadog-agent status</c>'s checks section.</summary>
internal static class StatusText
{
    public static void Write(StatusReport report, TextWriter output)
    {
        var now = report.Now;
        output.WriteLine($"FalcoCheck {report.Version} (pid {report.Pid.ToString(CultureInfo.InvariantCulture)}), up {Span(now - report.StartedAt)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  memory        {report.WorkingSetBytes / 1048576.0:0.0} MiB resident, {report.GcHeapBytes / 1048576.0:0.0} MiB managed heap"));
        output.WriteLine($"  agent config  {report.AgentConfig}");
        output.WriteLine($"  check config  {report.CheckConfig}");
        if (report.LastReload is { } reload)
        {
            output.WriteLine($"  last reload   {Time(reload.At, now)} ({reload.Trigger}): {(reload.Applied ? "applied" : "REFUSED")}, {reload.Summary}");
            foreach (var error in reload.Errors)
            {
                output.WriteLine($"                {error}");
            }
        }

        if (report.ConfigErrors.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Config errors ({report.ConfigErrors.Count.ToString(CultureInfo.InvariantCulture)}): these instances are not running");
            foreach (var error in report.ConfigErrors)
            {
                output.WriteLine($"  {error}");
            }
        }

        if (report.Kubernetes is { } k8s)
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Kubernetes {k8s.Api}{Discovery.KubernetesConnection.Through(k8s.Proxy)} {k8s.Scope}: {(k8s.Up ? "UP" : "DOWN")} — {k8s.Message}; last list {Time(k8s.LastList, now)} ({k8s.PodsListed} pod(s)), {k8s.Lists} list(s), {k8s.WatchEvents} watch event(s)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {k8s.Pods.Count} Falco pod(s), {k8s.Instances} instance(s)"));
            foreach (var pod in k8s.Pods)
            {
                output.WriteLine($"  {pod}");
            }

            foreach (var error in k8s.Errors)
            {
                output.WriteLine($"  error: {error}");
            }
        }

        output.WriteLine();
        output.WriteLine($"Instances ({report.Instances.Count.ToString(CultureInfo.InvariantCulture)})");
        foreach (var i in report.Instances)
        {
            output.WriteLine($"  [{i.Index.ToString(CultureInfo.InvariantCulture)}] {i.Endpoint}: {i.Status.ToUpperInvariant()}{(i.Message.Length > 0 ? " — " + i.Message : string.Empty)}");
            if (i.LastRun is { } last)
            {
                var version = i.FalcoVersion is null ? string.Empty : ", Falco " + i.FalcoVersion;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      last run {Time(last, now)} in {i.LastDurationMs:0.#} ms: {i.SeriesSubmitted} series submitted of {i.SeriesScraped} scraped{version}"));
            }

            var next = i.NextRun is { } due ? (due > now ? "in " + Span(due - now) : "now") : "not scheduled";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      every {i.IntervalSeconds:0.###} s, next run {next}; {i.Runs} run(s), {i.SkippedTicks} tick(s) skipped"));
            if (i.LastError is { } error)
            {
                output.WriteLine($"      last error {Time(i.LastErrorAt, now)}: {error}");
            }
        }

        output.WriteLine();
        output.WriteLine($"Sinks ({report.Sinks.Count.ToString(CultureInfo.InvariantCulture)})");
        foreach (var s in report.Sinks)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s.Name}: queue {s.Queue}/{s.QueueCapacity} item(s), {s.Sent} sent, {s.Retried} retried, {s.Dropped} dropped, {s.Failed} refused request(s){(s.Spooled > 0 || s.SpoolBytes > 0 ? $", {s.Spooled} spooled to disk ({s.SpoolBytes} bytes waiting)" : string.Empty)}"));
            output.WriteLine($"      last success {Time(s.LastSuccess, now)}");
            if (s.LastError is { } error)
            {
                output.WriteLine($"      last error {Time(s.LastErrorAt, now)}: {error}");
            }
        }
    }

    private static string Time(DateTimeOffset? at, DateTimeOffset now) => at is { } time
        ? time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + " (" + Span(now - time) + " ago)"
        : "never";

    private static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s"
            : span.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds}s")
            : span.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h");
    }
}
