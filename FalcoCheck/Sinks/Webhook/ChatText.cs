using System.Buffers;
using System.Text;

namespace FalcoCheck.Sinks.Webhook;

/// <summary>
/// Alert text made inert for a chat service: Falco's output quotes what an attacker chose (<c>proc.cmdline</c>, file
/// names), and a chat webhook reads markup in it. <c>sh -c 'echo "&lt;!channel&gt; &lt;https://evil.example|Falco: all clear&gt;"'</c>
/// would ping the channel and show a fake link; every text, fallback and field value goes through here.
/// </summary>
internal static class ChatText
{
    /// <summary>
    /// A word joiner (U+2060): invisible, and not a letter, so Mattermost, which splits words on anything but letters,
    /// digits and <c>. - _ : @</c> and notifies a word that is exactly <c>@channel</c>, <c>@all</c> or <c>@here</c>
    /// (or a user's <c>@name</c>), sees <c>@</c> and <c>channel</c> apart.
    /// </summary>
    private const char WordJoiner = '\u2060';

    private static readonly SearchValues<char> SlackSpecial = SearchValues.Create("&<>");

    /// <summary>Slack's control characters plus the markdown that Mattermost renders and the @ that starts a mention.</summary>
    private static readonly SearchValues<char> MattermostSpecial = SearchValues.Create("&<>@\\`*_[]()");

    /// <summary>
    /// Slack: <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> as entities, the only escaping Slack defines
    /// (https://api.slack.com/reference/surfaces/formatting#escaping). Without <c>&lt;</c>, no <c>&lt;!channel&gt;</c>,
    /// <c>&lt;@user&gt;</c> or <c>&lt;url|label&gt;</c> can be formed; Slack pings on nothing else.
    /// </summary>
    public static string Slack(string text) => text.AsSpan().ContainsAny(SlackSpecial) ? Escape(text, mattermost: false) : text;

    /// <summary>
    /// Mattermost, which takes Slack's payload but renders markdown in text and field values and notifies on plain
    /// <c>@here</c>: Slack's entities; a backslash before markdown's link, code and emphasis characters (CommonMark
    /// section 2.4, shown as the character itself); and a word joiner after every <c>@</c>.
    /// </summary>
    public static string Mattermost(string text) => text.AsSpan().ContainsAny(MattermostSpecial) ? Escape(text, mattermost: true) : text;

    private static string Escape(string text, bool mattermost)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '@' when mattermost:
                    escaped.Append('@').Append(WordJoiner);
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' when mattermost:
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
