/// Text for HTML and inline SVG: a value from the data, a model or a profile is always
/// shown as text, never read as a tag, an entity, a comment or the end of an attribute.
///
///     HTMLEscaping.text("<script>alert(1)</script>")   // &lt;script&gt;alert(1)&lt;/script&gt;
///     HTMLEscaping.text("\" onmouseover=\"x")          // &quot; onmouseover=&quot;x
///     HTMLEscaping.text("AT&T's")                      // AT&amp;T&#39;s
///     HTMLEscaping.text("&lt;")                        // &amp;lt;   (shown as typed, not as "<")
///     HTMLEscaping.text("north\u{1B}[2J\nx")           // north\x1B[2J\nx
///
/// Controls, line breaks and bidirectional or invisible format characters are first made
/// visible as ``TerminalEscaping`` shows them (`\x1B`, `\n`, `\u{202E}`), so a name cannot
/// reorder the text around it or hide part of itself; then the five characters that HTML
/// gives a meaning — `&`, `<`, `>`, `"` and `'` — are written as character references.
/// The result is safe in element content and in a quoted attribute value alike (either
/// quote), so every writer of HTML calls this one function for every value it did not
/// write itself. It is not for URLs, scripts or style sheets: Fairlead's pages put no
/// data there.
public enum HTMLEscaping {
    /// `text` with controls visible and `& < > " '` as character references.
    public static func text(_ text: String) -> String {
        let visible = TerminalEscaping.visible(text)
        guard visible.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return visible
        }
        var escaped = ""
        escaped.reserveCapacity(visible.utf8.count + 16)
        for scalar in visible.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
