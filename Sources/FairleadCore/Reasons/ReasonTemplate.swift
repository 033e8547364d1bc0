/// A reason sentence with placeholders, parsed once and filled per lead:
/// `"Visited the pricing page {value} times"` → "Visited the pricing page 6 times".
///
/// Placeholders: `{label}` (the feature's label, e.g. "pricing page views"), `{Label}`
/// (the same, first letter capitalised), `{value}` (the lead's value), `{typical}` (the
/// typical lead's value) and `{comparison}` ("above" or "below" the typical value for a
/// number; "the same as" or "different from" it for a category). `{{` and
/// `}}` write a brace.
///
/// A reason is written once per reason of every lead, so its length is bounded whatever
/// the profile and the data hold: a template is at most ``maximumCharacters`` characters
/// with at most ``maximumPlaceholders`` placeholders, and a text filled into a placeholder
/// (a value, a typical value, a label) is cut at ``insertedCharacters`` characters, an
/// ellipsis marking the cut (``MessageQuote/cut(_:limit:)``). A category of 100,000
/// characters is written whole once, as the lead's value in JSON and CSV, not in every
/// sentence and not once per placeholder.
public struct ReasonTemplate: Sendable, Equatable {
    /// The most characters a template may hold: a sentence for a sales rep, with room.
    public static let maximumCharacters = 500
    /// The most placeholders a template may hold (the default numeric template has four).
    public static let maximumPlaceholders = 10
    /// The most characters of a text filled into a placeholder; a longer one keeps its
    /// first 80 and ends with `…`.
    public static let insertedCharacters = 80

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
    ///   unclosed or unmatched brace, or a template longer than ``maximumCharacters``
    ///   or with more than ``maximumPlaceholders`` placeholders.
    public init(_ text: String) throws {
        if let end = text.index(text.startIndex, offsetBy: Self.maximumCharacters, limitedBy: text.endIndex), end != text.endIndex {
            throw FairleadError(.invalidProfile, "the template \"\(MessageQuote.clipped(text, limit: 40))\" is longer than "
                                + "\(Self.maximumCharacters) characters, the most a reason's sentence may be")
        }
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
        let placeholders = parts.filter { if case .placeholder = $0 { return true } else { return false } }.count
        guard placeholders <= Self.maximumPlaceholders else {
            throw FairleadError(.invalidProfile, "the template \"\(MessageQuote.clipped(text, limit: 40))\" holds \(placeholders) placeholders, "
                                + "more than the \(Self.maximumPlaceholders) a reason's sentence may hold")
        }
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

    /// The sentence with its placeholders filled, each text cut at ``insertedCharacters``.
    public func render(label: String, value: String, typical: String, comparison: String) -> String {
        let label = Self.inserted(label), value = Self.inserted(value), typical = Self.inserted(typical)
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

    /// `text` as a placeholder shows it: cut at ``insertedCharacters``, `…` marking a cut.
    public static func inserted(_ text: some StringProtocol) -> String {
        MessageQuote.cut(text, limit: insertedCharacters)
    }

    /// `text` with its first character upper-cased.
    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
