namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// Waits for a condition that background work makes true. The limit is only a guard against a hung test: no
/// assertion depends on how long anything took.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? Limit);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"gave up waiting: {what}");
            }

            await Task.Delay(20);
        }
    }
}
