using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>What <c>falcocheck status</c> shows of the loop, and the log lines when its health changes.</summary>
internal sealed partial class InstanceLoop
{
    /// <summary>The report after <paramref name="result"/>, with a log line when the instance changed health.</summary>
    private InstanceReport Record(InstanceSettings settings, InstanceRunResult result)
    {
        var previous = _report;
        var now = _context.Clock.GetUtcNow();
        var ok = result.Status == ServiceCheckStatus.Ok;
        var status = result.Skipped ? "skipped" : JsonLinesEncoder.StatusName(result.Status);
        var report = previous with
        {
            Status = status,
            Message = result.Message,
            LastRun = now - result.Duration,
            LastDurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
            FalcoVersion = result.FalcoVersion ?? previous.FalcoVersion,
            SeriesScraped = result.SeriesScraped,
            SeriesSubmitted = result.Submission.Metrics.Count,
            Runs = previous.Runs + 1,
            LastOk = ok && !result.Skipped ? now : previous.LastOk,
            LastError = ok ? previous.LastError : result.Message,
            LastErrorAt = ok ? previous.LastErrorAt : now,
        };

        var logger = _context.Logger;
        InstanceLoopLog.RunCompleted(logger, settings.Index, settings.Name, status, result.Duration.TotalMilliseconds, result.Submission.Metrics.Count);
        if (result.Skipped)
        {
            if (previous.Status != "skipped")
            {
                InstanceLoopLog.Skipped(logger, settings.Index, settings.Name, result.Message);
            }
        }
        else if (!ok && (previous.Status != status || previous.Message != result.Message))
        {
            InstanceLoopLog.Critical(logger, settings.Index, settings.Name, result.Message);
        }
        else if (ok && previous.Status != status)
        {
            InstanceLoopLog.Ok(logger, settings.Index, settings.Name, previous.Status == InstanceReport.Pending ? string.Empty : " again",
                result.FalcoVersion is { } version ? ", Falco " + version : string.Empty, result.Submission.Metrics.Count);
        }

        return report;
    }

    /// <summary>A run that never reached the endpoint: CRITICAL, with the health service check the scrape would have sent.</summary>
    private InstanceRunResult Failure(InstanceSettings settings, string message)
    {
        long now = _context.Clock.GetUtcNow().ToUnixTimeSeconds();
        List<ServiceCheck> checks = [];
        if (settings.EnableHealthServiceCheck)
        {
            checks.Add(new ServiceCheck(ServiceCheck.HealthName, ServiceCheckStatus.Critical, message, now, settings.Host, settings.HealthTags));
        }

        return new InstanceRunResult
        {
            Index = settings.Index,
            Name = settings.Name,
            Status = ServiceCheckStatus.Critical,
            Message = message,
            Submission = new Submission(settings.Name, [], checks),
            Timestamp = now,
        };
    }
}
