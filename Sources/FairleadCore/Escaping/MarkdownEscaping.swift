/// Text for GitHub-flavoured Markdown: data shown as text, never read as markup, HTML, a
/// table column or a new line.
///
///     MarkdownEscaping.text("<script>alert(1)</script>")   // &lt;script&gt;alert(1)&lt;/script&gt;
///     MarkdownEscaping.text("![x](http://e/t.png)")         // \!\[x\](http://e/t.png)
///     MarkdownEscaping.text("# a_b*")                       // \# a\_b\*
///     MarkdownEscaping.text("a\nb")                         // a\\nb   (folded into its line)
///     MarkdownEscaping.tableCell("a|b")                     // a\|b
///     MarkdownEscaping.code("x > 1")                        // `x > 1`
///
/// ``text(_:)`` makes controls visible as ``TerminalEscaping`` does (so a line break in
/// a value is shown as `\n` and cannot end a paragraph or a table row), writes `&`, `<`
/// and `>` as entities (no tag, comment, entity or autolink can form) and puts a
/// backslash before every ASCII punctuation character that opens or closes an inline
/// construct — `\` `` ` `` `*` `_` `[` `]` `!` `~` `|` `#` `$` — so no image, link, code
/// span, emphasis, strikethrough, math or table column can form (CommonMark reads a
/// backslash before ASCII punctuation as that character). A value that starts with what
/// would begin a block at the start of a line (`-`, `+`, `=`, or digits and `.` or `)`)
/// has that character escaped too. ``code(_:)`` is for values shown as code: inside a code
/// span nothing is interpreted, so only controls are made visible and the fence is
/// longer than any run of backticks in the value. In a table, ``tableCell(_:)`` escapes
/// as ``text(_:)`` does but for the line start (a cell is never at one) and
/// ``tableCode(_:)`` escapes a code span's `|` (GFM reads `\|` as a pipe inside cells and
/// code spans alike). Bare URLs stay text: CommonMark makes no link of them.
public enum MarkdownEscaping {
    /// The ASCII punctuation that opens or closes an inline construct, backslash-escaped.
    private static let inlinePunctuation: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "!", "~", "|", "#", "$"]

    /// `text` as Markdown text: controls visible, `&`, `<`, `>` as entities, inline
    /// punctuation and a leading block marker backslash-escaped.
    public static func text(_ text: String) -> String {
        escapingLineStart(inline(text))
    }

    /// Controls visible, `&`, `<`, `>` as entities, ``inlinePunctuation`` after a backslash.
    private static func inline(_ text: String) -> String {
        var escaped = ""
        for scalar in TerminalEscaping.visible(text).unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default:
                if inlinePunctuation.contains(scalar) { escaped += "\\" }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `escaped` with a backslash before what would start a list item, a setext underline or
    /// a thematic break at the start of a line: a leading `-`, `+` or `=`, or the `.` or `)`
    /// after leading digits that ends the value or is followed by a space (`1. `, `2)`).
    /// `#`, `*`, `>` and `_` are escaped wherever they are.
    private static func escapingLineStart(_ escaped: String) -> String {
        let scalars = Array(escaped.unicodeScalars)
        guard let first = scalars.first else { return escaped }
        if first == "-" || first == "+" || first == "=" { return "\\" + escaped }
        let digits = scalars.prefix { ("0"..."9").contains($0) }.count
        guard digits > 0, digits < scalars.count, scalars[digits] == "." || scalars[digits] == ")",
              digits + 1 == scalars.count || scalars[digits + 1] == " " else { return escaped }
        var result = String.UnicodeScalarView(scalars[..<digits])
        result.append("\\")
        result.append(contentsOf: scalars[digits...])
        return String(result)
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

    /// `text` as the content of a table cell: as ``text(_:)`` (`|` included), but for the
    /// line start, which a cell never is (`-0.25` stays as it is).
    public static func tableCell(_ text: String) -> String {
        inline(text)
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
