namespace FalcoCheck.Tests;

internal sealed class SmokeTests
{
    [Test]
    public void Builds() => Assert.That(typeof(Program).Assembly.GetName().Name, Is.EqualTo("falcocheck"));
}
