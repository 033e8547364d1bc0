/// Text for GitHub-flavoured Markdown: data shown as text, never read as HTML, a table
/// column or a new line.
///
///     MarkdownEscaping.text("<script>alert(1)</script>")   // &lt;script&gt;alert(1)&lt;/script&gt;
///     MarkdownEscaping.text("a\nb")                         // a\nb   (folded into its line)
///     MarkdownEscaping.tableCell("a|b")                     // a\|b
///     MarkdownEscaping.code("x > 1")                        // `x > 1`
///
/// ``text(_:)`` makes controls visible as ``TerminalEscaping`` does (so a line break in
/// a value is shown as `\n` and cannot end a paragraph or a table row) and writes `&`,
/// `<` and `>` as entities, so no tag, comment or autolink can be formed. ``code(_:)`` is
/// for values shown as code: inside a code span HTML is not interpreted, so only
/// controls are made visible and the fence is longer than any run of backticks in the
/// value. In a table, a cell additionally has its `|` escaped (``tableCell(_:)``,
/// ``tableCode(_:)``); GFM reads `\|` as a pipe inside cells and code spans alike.
public enum MarkdownEscaping {
    /// `text` as Markdown text: controls visible, `&`, `<`, `>` as entities.
    public static func text(_ text: String) -> String {
        var escaped = ""
        for scalar in TerminalEscaping.visible(text).unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `text` as a code span, backticks included: controls visible, fenced by one more
    /// backtick than the longest run in the value (padded with spaces when it starts or
    /// ends with a backtick, as CommonMark strips one space each side).
    public static func code(_ text: String) -> String {
        let visible = TerminalEscaping.visible(text)
        var longest = 0, run = 0
        for scalar in visible.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let scalars = visible.unicodeScalars
        let padding = scalars.first == "`" || scalars.last == "`" || scalars.isEmpty ? " " : ""
        return fence + padding + visible + padding + fence
    }

    /// `text` as the content of a table cell: ``text(_:)`` with `|` escaped.
    public static func tableCell(_ text: String) -> String {
        escapingPipes(Self.text(text))
    }

    /// `text` as a code span in a table cell: ``code(_:)`` with `|` escaped.
    public static func tableCode(_ text: String) -> String {
        escapingPipes(code(text))
    }

    /// Every `|` preceded by a backslash, scalar by scalar (a pipe followed by a combining
    /// mark is still a pipe to a table parser).
    private static func escapingPipes(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar == "|" { escaped += "\\" }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    }
}
