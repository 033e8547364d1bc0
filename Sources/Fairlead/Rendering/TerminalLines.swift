import FairleadCore

/// The lines of a terminal rendering, each escaped as it is added: the only way the
/// terminal renderings build their output, so a group name, a reason or a note holding
/// ESC, CR, a line break or a bidirectional override is shown visibly
/// (``TerminalEscaping``) and never reaches the terminal raw.
///
/// Every line fits ``TerminalWidth/lineWidth`` display columns: a longer one is wrapped
/// at spaces onto continuation lines indented four more than it, never cut.
///
/// Colour is the one exception to the escaping, and it is added here, around a verdict
/// word the rendering names, after the rest of the line was escaped and wrapped; the word
/// itself always carries the meaning, so nothing is lost without colour:
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

    /// Adds `text` as one line, every control and line break in it made visible; wrapped
    /// when wider than a line, its continuation lines indented four more than it.
    mutating func append(_ text: String) {
        let visible = TerminalEscaping.visible(text)
        let indentation = String(visible.prefix { $0 == " " })
        lines.append(contentsOf: TerminalWidth.wrapped(visible, continuation: indentation + "    "))
    }

    /// Adds each of `texts` as a line (see ``append(_:)``).
    mutating func append(contentsOf texts: [String]) {
        for text in texts { append(text) }
    }

    /// Adds `indent`, the verdict `word` (painted for `verdict` when colour is on), two
    /// spaces and `rest`, wrapped like ``append(_:)``.
    mutating func appendVerdict(_ word: String, _ verdict: AuditReport.Verdict, indent: String = "", _ rest: String) {
        let lead = TerminalEscaping.visible(indent) + TerminalEscaping.visible(word)
        var wrapped = TerminalWidth.wrapped(lead + "  " + TerminalEscaping.visible(rest),
                                            continuation: TerminalEscaping.visible(indent) + "    ")
        if colour, let first = wrapped.first, first.hasPrefix(lead) {
            wrapped[0] = TerminalEscaping.visible(indent) + paint(TerminalEscaping.visible(word), verdict)
                + first.dropFirst(lead.count)
        }
        lines.append(contentsOf: wrapped)
    }

    /// `word` in the colour of `verdict` when colour is on: green for pass, red for fail,
    /// yellow otherwise.
    func paint(_ word: String, _ verdict: AuditReport.Verdict) -> String {
        guard colour else { return word }
        let code = verdict == .pass ? "32" : verdict == .fail ? "31" : "33"
        return "\u{1B}[1;\(code)m\(word)\u{1B}[0m"
    }

    /// The lines joined, each ending with a line feed.
    var text: String {
        lines.joined(separator: "\n") + "\n"
    }
}
