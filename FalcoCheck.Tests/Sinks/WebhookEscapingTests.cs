using System.Buffers;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Alerts;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// Alert text is data, never chat markup: a command line an attacker wrote (<c>proc.cmdline</c>) must not ping a
/// channel or show a link in Slack, Mattermost or Teams.
/// </summary>
internal sealed class WebhookEscapingTests
{
    /// <summary>What <c>sh -c 'echo "&lt;!channel&gt; &lt;https://evil.example|Falco: all clear&gt;"'</c> puts in Falco's output.</summary>
    private const string Cmdline = "sh -c 'echo \"<!channel> <https://evil.example|Falco: all clear>\" @here [ok](https://evil.example) & done'";

    private static readonly string Output = $"Critical A shell was spawned (cmdline={Cmdline} file=<NA>)";

    private static byte[] Document()
    {
        string alert = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["hostname"] = "node-<1>&",
            ["output"] = Output,
            ["priority"] = "Critical",
            ["rule"] = "Terminal shell in container",
            ["source"] = "syscall",
            ["tags"] = new[] { "container" },
            ["time"] = "2024-10-30T09:48:02.285310579Z",
            ["output_fields"] = new Dictionary<string, string> { ["proc.cmdline"] = Cmdline },
        });
        return AlertBodyReader.Read(AlertSamples.Utf8(alert), AlertSamples.Context()).Alerts.Single().Document;
    }

    private static JsonElement Encode(WebhookFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.That(WebhookEncoder.Encode(Document(), format, buffer), Is.Null);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    private static IEnumerable<string> SlackTexts(JsonElement body)
    {
        yield return body.GetProperty("text").GetString()!;
        JsonElement attachment = body.GetProperty("attachments")[0];
        yield return attachment.GetProperty("fallback").GetString()!;
        foreach (JsonElement field in attachment.GetProperty("fields").EnumerateArray())
        {
            yield return field.GetProperty("value").GetString()!;
        }
    }

    [TestCase(WebhookFormat.Slack)]
    [TestCase(WebhookFormat.Mattermost)]
    public void Slack_control_characters_are_escaped_in_text_fallback_and_fields(WebhookFormat format)
    {
        JsonElement body = Encode(format);

        Assert.Multiple(() =>
        {
            foreach (string text in SlackTexts(body))
            {
                // & < > are Slack's control characters (api.slack.com/reference/surfaces/formatting#escaping).
                Assert.That(text, Does.Not.Contain("<").And.Not.Contain(">"), text);
                Assert.That(text.Replace("&amp;", "", StringComparison.Ordinal).Replace("&lt;", "", StringComparison.Ordinal)
                    .Replace("&gt;", "", StringComparison.Ordinal), Does.Not.Contain("&"), "every & is an entity: " + text);
            }

            string main = body.GetProperty("text").GetString()!;
            Assert.That(main, Does.Contain("&lt;!channel&gt;"), "shown, not a channel ping");
            Assert.That(main, Does.Contain("&lt;https://evil.example|Falco: all clear&gt;"), "shown, not a link");
            Assert.That(main, Does.Contain("file=&lt;NA&gt;"));
            Assert.That(main, Does.Contain("&amp; done"));
            Assert.That(body.GetProperty("attachments")[0].GetProperty("fallback").GetString(), Is.EqualTo(main));
            var fields = body.GetProperty("attachments")[0].GetProperty("fields").EnumerateArray()
                .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
            Assert.That(fields["hostname"], Is.EqualTo("node-&lt;1&gt;&amp;"));
        });
    }

    [Test]
    public void Slack_keeps_at_signs_and_brackets_it_does_not_read_as_markup()
    {
        string text = Encode(WebhookFormat.Slack).GetProperty("text").GetString()!;

        // Slack pings only through <!here>, which the escaping above already breaks; plain @here is text there.
        Assert.That(text, Does.Contain("@here [ok](https://evil.example)"));
    }

    [Test]
    public void Mattermost_mentions_and_markdown_links_in_alert_text_stay_text()
    {
        JsonElement body = Encode(WebhookFormat.Mattermost);

        Assert.Multiple(() =>
        {
            foreach (string text in SlackTexts(body))
            {
                // Mattermost notifies a word that is exactly @here, @channel or @all (app/notification.go splits words
                // on anything but letters, digits and . - _ : @), and renders markdown links.
                foreach (string word in MattermostWords(text))
                {
                    Assert.That(word.ToLowerInvariant(), Is.Not.EqualTo("@here").And.Not.EqualTo("@channel").And.Not.EqualTo("@all"), text);
                }

                Assert.That(text, Does.Not.Contain("[ok](").And.Not.Contain("](https"), "no markdown link: " + text);
            }

            string main = body.GetProperty("text").GetString()!;
            Assert.That(main, Does.Contain("@\u2060here"), "the @ is kept, joined to an invisible word joiner");
            Assert.That(main, Does.Contain(@"\[ok\]\(https://evil.example\)"), "markdown punctuation shown as itself");
        });
    }

    private static IEnumerable<string> MattermostWords(string text)
    {
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || !(char.IsLetterOrDigit(text[i]) || text[i] is '.' or '-' or '_' or ':' or '@'))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                start = i + 1;
            }
        }
    }

    [Test]
    public void Teams_shows_the_output_and_facts_without_markdown()
    {
        JsonElement card = Encode(WebhookFormat.Teams);
        JsonElement section = card.GetProperty("sections")[0];

        Assert.Multiple(() =>
        {
            // MessageCard renders text and fact values as markdown unless the section says markdown: false
            // (learn.microsoft.com/outlook/actionable-messages/message-card-reference, "Section fields").
            Assert.That(card.TryGetProperty("text", out _), Is.False, "the output is in the section, under its markdown switch");
            Assert.That(section.GetProperty("markdown").GetBoolean(), Is.False);
            Assert.That(section.GetProperty("text").GetString(), Is.EqualTo(Output), "as Falco wrote it");
            Assert.That(card.GetProperty("title").GetString(), Is.EqualTo("Falco alert"), "the card's title is markdown: no alert text there");
            Assert.That(section.GetProperty("activityTitle").GetString(), Is.EqualTo("Terminal shell in container"));
            var facts = section.GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetString());
            Assert.That(facts["hostname"], Is.EqualTo("node-<1>&"));
        });
    }
}
