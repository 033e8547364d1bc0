import FairleadCore

/// The lines of a terminal rendering, each escaped as it is added: the only way the
/// terminal renderings build their output, so a group name, a reason or a note holding
/// ESC, CR, a line break or a bidirectional override is shown visibly
/// (``TerminalEscaping``) and never reaches the terminal raw.
///
/// Colour is the one exception, and it is added here, around a verdict word the
/// rendering names, after the rest of the line was escaped:
///
///     var lines = TerminalLines(colour: true)
///     lines.appendVerdict("FAIL", .fail, indent: "  ", "disparate_impact at \(group)")
///     lines.append("note: \(note)")
struct TerminalLines {
    /// Whether verdict words are painted with ANSI colours.
    let colour: Bool
    private(set) var lines: [String] = []

    init(colour: Bool = false) {
        self.colour = colour
    }

    /// Adds `text` as one line, every control and line break in it made visible.
    mutating func append(_ text: String) {
        lines.append(TerminalEscaping.visible(text))
    }

    /// Adds each of `texts` as a line (see ``append(_:)``).
    mutating func append(contentsOf texts: [String]) {
        for text in texts { append(text) }
    }

    /// Adds `indent`, the verdict `word` (painted for `verdict` when colour is on), two
    /// spaces and `rest`.
    mutating func appendVerdict(_ word: String, _ verdict: AuditReport.Verdict, indent: String = "", _ rest: String) {
        var painted = TerminalEscaping.visible(word)
        if colour {
            let code = verdict == .pass ? "32" : verdict == .fail ? "31" : "33"
            painted = "\u{1B}[1;\(code)m\(painted)\u{1B}[0m"
        }
        lines.append(TerminalEscaping.visible(indent) + painted + "  " + TerminalEscaping.visible(rest))
    }

    /// The lines joined, each ending with a line feed.
    var text: String {
        lines.joined(separator: "\n") + "\n"
    }
}
