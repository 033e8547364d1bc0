/// A reason sentence with placeholders, parsed once and filled per lead:
/// `"Visited the pricing page {value} times"` → "Visited the pricing page 6 times".
///
/// Placeholders: `{label}` (the feature's label, e.g. "pricing page views"), `{Label}`
/// (the same, first letter capitalised), `{value}` (the lead's value), `{typical}` (the
/// typical lead's value) and `{comparison}` ("above" or "below" the typical value for a
/// number; "the same as" or "different from" it for a category). `{{` and
/// `}}` write a brace.
public struct ReasonTemplate: Sendable, Equatable {
    /// What a placeholder stands for.
    public enum Placeholder: String, Sendable, CaseIterable {
        case label
        case capitalizedLabel = "Label"
        case value
        case typical
        case comparison
    }

    enum Part: Sendable, Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    /// The template as written.
    public let text: String
    let parts: [Part]

    /// Parses `text`.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` (without a location; the profile reader
    ///   adds it) for an unknown placeholder — with the closest known one — or an
    ///   unclosed or unmatched brace.
    public init(_ text: String) throws {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{" {
                if next < text.endIndex, text[next] == "{" {
                    literal.append("{")
                    index = text.index(after: next)
                    continue
                }
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw FairleadError(.invalidProfile, "a '{' in the template \"\(text)\" is never closed; write {{ for a brace")
                }
                let name = String(text[next..<close])
                guard let placeholder = Placeholder(rawValue: name) else {
                    let known = Placeholder.allCases.map(\.rawValue)
                    let suggestion = typoNames(of: name, in: known, limit: 1).first.map { " (did you mean {\($0)}?)" } ?? ""
                    throw FairleadError(.invalidProfile,
                                        "unknown placeholder {\(name)} in the template \"\(text)\"\(suggestion); expected one of: \(known.map { "{\($0)}" }.joined(separator: ", "))")
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(.placeholder(placeholder))
                index = text.index(after: close)
                continue
            }
            if character == "}" {
                guard next < text.endIndex, text[next] == "}" else {
                    throw FairleadError(.invalidProfile, "a '}' in the template \"\(text)\" closes nothing; write }} for a brace")
                }
                literal.append("}")
                index = text.index(after: next)
                continue
            }
            literal.append(character)
            index = next
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.text = text
        self.parts = parts
    }

    /// The sentence up to its comparison, for a number that reads as the typical one:
    /// the parts before the first `{comparison}`, the punctuation and spaces that led into it
    /// taken off — "Opened {value} emails, {comparison} the typical {typical}" → "Opened
    /// {value} emails". `self` when it has no `{comparison}`; nil when what comes before
    /// it shows no `{value}` or shows `{typical}`.
    public var withoutComparison: ReasonTemplate? {
        guard let cut = parts.firstIndex(of: .placeholder(.comparison)) else { return self }
        var kept = Array(parts[..<cut])
        guard kept.contains(.placeholder(.value)), !kept.contains(.placeholder(.typical)) else { return nil }
        if case .text(let literal)? = kept.last {
            let trimmed = String(literal.reversed().drop { " ,;:-—–(".contains($0) }.reversed())
            kept.removeLast()
            if !trimmed.isEmpty { kept.append(.text(trimmed)) }
        }
        return ReasonTemplate(parts: kept)
    }

    /// A template of `parts`, its text written back from them.
    init(parts: [Part]) {
        self.parts = parts
        self.text = parts.map { part -> String in
            switch part {
            case .text(let literal): return literal.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
            case .placeholder(let placeholder): return "{\(placeholder.rawValue)}"
            }
        }.joined()
    }

    /// The sentence with its placeholders filled.
    public func render(label: String, value: String, typical: String, comparison: String) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let literal): result += literal
            case .placeholder(.label): result += label
            case .placeholder(.capitalizedLabel): result += Self.capitalized(label)
            case .placeholder(.value): result += value
            case .placeholder(.typical): result += typical
            case .placeholder(.comparison): result += comparison
            }
        }
        return result
    }

    /// `text` with its first character upper-cased.
    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
