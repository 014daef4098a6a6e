using System.Net;
using System.Net.Sockets;
using FalcoCheck.Sinks.Delivery;
using Polly.Timeout;

namespace FalcoCheck.Tests.Sinks;

/// <summary>What is retried, split or rejected: one named table for answers, one for transport failures.</summary>
internal sealed class RetryClassifierTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 13, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TestCaseData> Answers()
    {
        yield return Answer("200 sent", 200, DeliveryStatus.Sent);
        yield return Answer("202 sent (Datadog intake)", 202, DeliveryStatus.Sent);
        yield return Answer("204 sent (remote write)", 204, DeliveryStatus.Sent);
        yield return Answer("400 rejected", 400, DeliveryStatus.Rejected);
        yield return Answer("401 rejected", 401, DeliveryStatus.Rejected);
        yield return Answer("403 rejected", 403, DeliveryStatus.Rejected);
        yield return Answer("404 rejected", 404, DeliveryStatus.Rejected);
        yield return Answer("408 retried", 408, DeliveryStatus.Retry);
        yield return Answer("413 split", 413, DeliveryStatus.Split);
        yield return Answer("429 retried", 429, DeliveryStatus.Retry);
        yield return Answer("429 with Retry-After seconds", 429, DeliveryStatus.Retry, ("Retry-After", "7"), TimeSpan.FromSeconds(7));
        yield return Answer("503 with Retry-After date", 503, DeliveryStatus.Retry, ("Retry-After", "Tue, 13 May 2025 12:00:30 GMT"), TimeSpan.FromSeconds(30));
        yield return Answer("Retry-After date in the past", 503, DeliveryStatus.Retry, ("Retry-After", "Tue, 13 May 2025 11:00:00 GMT"), TimeSpan.Zero);
        yield return Answer("429 with X-Ratelimit-Reset", 429, DeliveryStatus.Retry, ("X-Ratelimit-Reset", "12"), TimeSpan.FromSeconds(12));
        yield return Answer("500 retried", 500, DeliveryStatus.Retry);
        yield return Answer("501 rejected", 501, DeliveryStatus.Rejected);
        yield return Answer("502 retried", 502, DeliveryStatus.Retry);
        yield return Answer("504 retried", 504, DeliveryStatus.Retry);
    }

    [TestCaseSource(nameof(Answers))]
    public void Classifies_answers(int status, DeliveryStatus expected, (string Name, string Value)? header, TimeSpan? retryAfter)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is { } h)
        {
            response.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var outcome = RetryClassifier.Classify(response.StatusCode, response.Headers, Now, "{\"errors\":[\"Forbidden\"]}");

        Assert.That(outcome.Status, Is.EqualTo(expected));
        Assert.That(outcome.RetryAfter, Is.EqualTo(retryAfter));
        Assert.That(RetryClassifier.IsRetryable(response.StatusCode), Is.EqualTo(expected == DeliveryStatus.Retry));
        if (expected != DeliveryStatus.Sent)
        {
            Assert.That(outcome.Reason, Does.StartWith($"HTTP {status} ").And.EndWith("{\"errors\":[\"Forbidden\"]}"));
        }
    }

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return Failure("connection refused", new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), DeliveryStatus.Retry);
        yield return Failure("socket error", new SocketException((int)SocketError.ConnectionReset), DeliveryStatus.Retry);
        yield return Failure("attempt timed out", new TimeoutRejectedException(), DeliveryStatus.Retry);
        yield return Failure("response cut", new IOException("unexpected end"), DeliveryStatus.Retry);
        yield return Failure("DNS failure", new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), DeliveryStatus.Retry);
        yield return Failure("TLS failure is configuration", new HttpRequestException(HttpRequestError.SecureConnectionError, "certificate"), DeliveryStatus.Rejected);
        yield return Failure("a bug is not retried", new InvalidOperationException("bad request message"), DeliveryStatus.Rejected);
    }

    [TestCaseSource(nameof(Failures))]
    public void Classifies_transport_failures(Exception exception, DeliveryStatus expected) =>
        Assert.That(RetryClassifier.Classify(exception).Status, Is.EqualTo(expected));

    private static IEnumerable<TestCaseData> OtlpAnswers()
    {
        yield return Answer("OTLP: 200 sent", 200, DeliveryStatus.Sent);
        yield return Answer("OTLP: 400 rejected", 400, DeliveryStatus.Rejected);
        yield return Answer("OTLP: 408 rejected (the shared rule retries it)", 408, DeliveryStatus.Rejected);
        yield return Answer("OTLP: 413 split", 413, DeliveryStatus.Split);
        yield return Answer("OTLP: 429 with Retry-After retried", 429, DeliveryStatus.Retry, ("Retry-After", "7"), TimeSpan.FromSeconds(7));
        yield return Answer("OTLP: 500 rejected (the shared rule retries it)", 500, DeliveryStatus.Rejected);
        yield return Answer("OTLP: 501 rejected", 501, DeliveryStatus.Rejected);
        yield return Answer("OTLP: 502 retried", 502, DeliveryStatus.Retry);
        yield return Answer("OTLP: 503 with Retry-After retried", 503, DeliveryStatus.Retry, ("Retry-After", "3"), TimeSpan.FromSeconds(3));
        yield return Answer("OTLP: 504 retried", 504, DeliveryStatus.Retry);
        yield return Answer("OTLP: 505 rejected (the shared rule retries it)", 505, DeliveryStatus.Rejected);
        yield return Answer("OTLP: 507 rejected", 507, DeliveryStatus.Rejected);
    }

    /// <summary>OTLP/HTTP, "Failures": 429, 502, 503 and 504 are retryable; all other 4xx and 5xx must not be retried.</summary>
    [TestCaseSource(nameof(OtlpAnswers))]
    public void Classifies_answers_under_otlp_rules(int status, DeliveryStatus expected, (string Name, string Value)? header, TimeSpan? retryAfter)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is { } h)
        {
            response.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var outcome = RetryClassifier.Classify(response.StatusCode, response.Headers, Now, null, RetryRule.Otlp);

        Assert.That(outcome.Status, Is.EqualTo(expected));
        Assert.That(outcome.RetryAfter, Is.EqualTo(retryAfter));
        Assert.That(RetryClassifier.IsRetryableForOtlp(response.StatusCode), Is.EqualTo(expected == DeliveryStatus.Retry));
    }

    [Test]
    public void Otlp_rules_keep_transport_failures_retryable() =>
        Assert.That(RetryClassifier.Classify(new IOException("reset")).Status, Is.EqualTo(DeliveryStatus.Retry));

    private static TestCaseData Answer(string name, int status, DeliveryStatus expected, (string, string)? header = null, TimeSpan? retryAfter = null) =>
        new TestCaseData(status, expected, header, retryAfter).SetName(name);

    private static TestCaseData Failure(string name, Exception exception, DeliveryStatus expected) =>
        new TestCaseData(exception, expected).SetName(name);
}
