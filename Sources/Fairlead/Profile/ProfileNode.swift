import FairleadCore
import Yams

/// A parsed YAML or JSON value that remembers where it was written (file, line, column),
/// so that every profile error can point at the key that caused it.
///
/// Profiles are read into this tree, merged with their `extends:` base, then decoded into
/// an ``AuditProfile``. Keeping the location on every node lets an error in a base policy
/// name the base file, and an error in an override name the override.
struct ProfileNode: Sendable {
    enum Value: Sendable {
        case scalar(String, isQuoted: Bool)
        case sequence([ProfileNode])
        /// Keys in the order they were written.
        case mapping([(key: String, keyLocation: SourceLocation, value: ProfileNode)])
        case null
    }

    var value: Value
    var location: SourceLocation

    /// Parses YAML (or JSON, which YAML 1.2 reads) into a located tree, within the limits
    /// of `reading` (``ProfileReading``): the text's size, the nesting depth, the number of
    /// values once aliases are expanded, and the bytes of text those values hold.
    ///
    /// Yams composes aliases by sharing the anchored node, so an alias bomb costs little
    /// until it is expanded; the expansion here counts every value it makes, and every
    /// byte of every key and scalar it makes, and stops at the limit before memory or
    /// time grows: an alias counts the whole of what it stands for, however deep the
    /// aliases it holds nest.
    static func parse(_ text: String, file: String, reading: ProfileReading = ProfileReading()) throws -> ProfileNode {
        var budget = Budget(reading: reading)
        return try parse(text, file: file, budget: &budget)
    }

    /// ``parse(_:file:reading:)`` within what is left of `budget`: one budget is spent by
    /// every file of an `extends:` chain, so that the chain as a whole, not each file, is
    /// bounded.
    static func parse(_ text: String, file: String, budget: inout Budget) throws -> ProfileNode {
        try budget.spendFileBytes(text.utf8.count, file: file)
        let root: Node?
        let lines = ProfileText(text)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            if case .duplicatedKeysInMapping(let duplicates, let context) = error, let key = duplicates.first,
               let repeated = lines.repeatedKey(key, mappingAt: context.mark.line, column: context.mark.column) {
                // At the key written the second time, not the mapping's first key.
                throw FairleadError(.invalidProfile,
                                    "the key '\(MessageQuote.clipped(key))' is written twice in one mapping (first at line \(repeated.first)); keep one",
                                    at: SourceLocation(file: file, line: repeated.line, column: context.mark.column))
            }
            throw FairleadError(.invalidProfile, Self.describe(error, reading: budget.reading), at: Self.location(of: error, file: file))
        }
        guard let root else {
            throw FairleadError(.invalidProfile, "the profile is empty; expected a mapping with at least 'name' and 'data'",
                                at: SourceLocation(file: file))
        }
        return try ProfileNode(root, file: file, text: lines, depth: 1, budget: &budget)
    }

    /// What is left of the limits while the files of one `extends:` chain are read and
    /// expanded: the limits on bytes and values bound the profile and all of its bases
    /// together, so that 200 bases just under the limits each do not add up to 200 times
    /// the limits.
    struct Budget {
        let reading: ProfileReading
        /// The values (scalars, lists, mappings) that may still be made, aliases expanded.
        private(set) var nodesLeft: Int
        /// The bytes of profile text that may still be read.
        private(set) var bytesLeft: Int
        /// The bytes of keys and scalars that may still be made, aliases expanded: an alias
        /// of a 500 KB scalar, used 90,000 times, is 45 GB of text to every step after.
        private(set) var textLeft: Int
        /// The files read so far, for messages about a chain.
        private(set) var files = 0

        /// The whole of `reading`'s limits.
        init(reading: ProfileReading) {
            self.reading = reading
            nodesLeft = reading.maximumNodes
            bytesLeft = reading.maximumBytes
            textLeft = reading.maximumBytes
        }

        /// The most bytes the next file may hold.
        var fileBytesAllowed: Int { max(0, bytesLeft) }

        /// What is counted: "the profile", or "the profile and the bases it extends" once
        /// a base has been read.
        var counted: String { files > 1 ? "the profile and the bases it extends" : "the profile" }

        /// "its" or "their", for ``counted``.
        var their: String { files > 1 ? "their" : "its" }

        /// Takes a file's `count` bytes, or throws the bytes limit's error at `file`.
        mutating func spendFileBytes(_ count: Int, file: String) throws {
            files += 1
            guard count <= bytesLeft else {
                let found = files > 1 ? "the profile and the bases it extends are larger than \(reading.maximumBytes) bytes together"
                    : "the profile is larger than \(reading.maximumBytes) bytes"
                throw ProfileNode.limitError(.bytes, found, reading: reading, at: SourceLocation(file: file))
            }
            bytesLeft -= count
        }

        /// Takes one value holding `textBytes` bytes of key or scalar text.
        mutating func spendNode(textBytes: Int, at location: SourceLocation) throws {
            nodesLeft -= 1
            guard nodesLeft >= 0 else {
                throw ProfileNode.limitError(.nodes, "\(counted) \(files > 1 ? "hold" : "holds") more than \(reading.maximumNodes) values\(files > 1 ? " together" : "") once \(their) YAML aliases are expanded",
                                             reading: reading, at: location)
            }
            try spendText(textBytes, at: location)
        }

        /// Takes `count` bytes of key or scalar text.
        mutating func spendText(_ count: Int, at location: SourceLocation) throws {
            textLeft -= count
            guard textLeft >= 0 else {
                throw ProfileNode.limitError(.bytes, "the keys and values of \(counted) hold more than \(reading.maximumBytes) bytes of text\(files > 1 ? " together" : "") once \(their) YAML aliases are expanded",
                                             reading: reading, at: location)
            }
        }
    }

    /// A limit's error: what was found, the limit's value, and how to raise it.
    static func limitError(_ limit: ProfileReading.Limit, _ found: String, reading: ProfileReading,
                           at location: SourceLocation) -> FairleadError {
        let unit = switch limit {
        case .bytes: "bytes"
        case .depth: "levels"
        case .nodes: "values"
        case .bases: "bases"
        }
        return FairleadError(.invalidProfile, "\(found) (limit: \(reading.value(of: limit)) \(unit)\(reading.raiseHint(limit)))",
                             at: location)
    }

    private init(_ node: Node, file: String, text: ProfileText, depth: Int, budget: inout Budget) throws {
        let mark = node.mark
        location = SourceLocation(file: file, line: mark?.line, column: mark?.column)
        try budget.spendNode(textBytes: node.scalar?.string.utf8.count ?? 0, at: location)
        if let mark { try Self.refuseTag(text, line: mark.line, column: mark.column, at: location) }
        guard depth <= budget.reading.maximumDepth else {
            throw Self.limitError(.depth, "the profile nests lists and mappings more than \(budget.reading.maximumDepth) levels deep",
                                  reading: budget.reading, at: location)
        }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                value = .null
            } else {
                value = .scalar(scalar.string, isQuoted: scalar.style != .plain)
            }
        case .sequence(let sequence):
            var items: [ProfileNode] = []
            for item in sequence {
                items.append(try ProfileNode(item, file: file, text: text, depth: depth + 1, budget: &budget))
            }
            value = .sequence(items)
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: ProfileNode)] = []
            for (key, child) in mapping {
                let keyLocation = SourceLocation(file: file, line: key.mark?.line, column: key.mark?.column)
                if let mark = key.mark { try Self.refuseTag(text, line: mark.line, column: mark.column, at: keyLocation) }
                guard let name = key.string else {
                    throw FairleadError(.invalidProfile, "expected a plain key, found a \(key.kindName)", at: keyLocation)
                }
                try budget.spendText(name.utf8.count, at: keyLocation)
                // A merge key would be read as a key named "<<", and the keys it meant to bring
                // in as missing: say what it is.
                if name == "<<", key.scalar?.style == .plain {
                    throw FairleadError(.invalidProfile, "YAML merge keys (<<) are not supported in profiles; write the keys out, or share them with extends:",
                                        at: keyLocation)
                }
                pairs.append((name, keyLocation, try ProfileNode(child, file: file, text: text, depth: depth + 1, budget: &budget)))
            }
            value = .mapping(pairs)
        case .alias:
            throw FairleadError(.invalidProfile, "YAML aliases are not supported in profiles; write the value out",
                                at: location)
        }
    }

    /// Refuses a value written with a YAML tag (`!!python/object:os.system 0.3`, `!custom
    /// x`, `!!str 5`): read as its bare value, the tag was ignored without a word — a
    /// profile that meant something by it would be audited as if it had none.
    private static func refuseTag(_ text: ProfileText, line: Int, column: Int, at location: SourceLocation) throws {
        guard let tag = text.tag(line: line, column: column) else { return }
        throw FairleadError(.invalidProfile,
                            "YAML tags are not supported in profiles (\(MessageQuote.clipped(tag, limit: 60))); write the value alone (quote it to make it text)",
                            at: location)
    }

    init(value: Value, location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// A short name of the node's kind for messages: "a mapping", "a list", "a value".
    var kindName: String {
        switch value {
        case .scalar: return "a value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .null: return "nothing (null)"
        }
    }

    /// `base` overridden by `self`: mappings merge key by key (recursively); any other
    /// value in `self` replaces the base's, and a key written with no value (`path: null`)
    /// removes the base's key. This is how `extends:` works.
    func overriding(_ base: ProfileNode) -> ProfileNode {
        guard case .mapping(let overrides) = value, case .mapping(var merged) = base.value else { return self }
        for entry in overrides {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                if case .null = entry.value.value {
                    merged.remove(at: index)
                    continue
                }
                merged[index] = (entry.key, entry.keyLocation, entry.value.overriding(merged[index].value))
            } else {
                merged.append(entry)
            }
        }
        return ProfileNode(value: .mapping(merged), location: location)
    }

    /// Refuses the first key written with no value (`drift:` alone on its line, `~`,
    /// `null`) anywhere in the tree. Read as absent, such a key silently did nothing: a
    /// `drift:` section whose keys were all commented out turned drift off, a `label:` left
    /// empty audited without labels. Under `extends:` a key with no value removes the base
    /// profile's key (``overriding(_:)``), which happens before this check.
    func refuseKeysWithoutValue(path: String = "") throws {
        switch value {
        case .mapping(let pairs):
            for entry in pairs {
                let keyPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                if case .null = entry.value.value {
                    throw ProfileMapping.error(Self.noValueMessage(key: entry.key, topLevel: path.isEmpty),
                                               path: keyPath, at: entry.keyLocation)
                }
                try entry.value.refuseKeysWithoutValue(path: keyPath)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() { try item.refuseKeysWithoutValue(path: "\(path)[\(index)]") }
        case .scalar, .null:
            break
        }
    }

    /// Sections whose presence turns a check on, and whose keys all have defaults: `X: {}`
    /// is the section with every default.
    static let sectionsWithDefaults: Set<String> = ["drift", "settings", "limits", "statistics", "privacy", "mitigation",
                                                     "explanations", "individual_fairness"]

    private static func noValueMessage(key: String, topLevel: Bool) -> String {
        let quoted = MessageQuote.clipped(key)
        if topLevel, sectionsWithDefaults.contains(key) {
            return "'\(quoted)' is written with no value, which would leave the section out; write '\(quoted): {}' for the section with every default, or remove the key"
        }
        return "'\(quoted)' is written with no value; give it one, or remove the key to leave it out (under extends:, a key with no value removes the base profile's)"
    }

    /// The parser's problem in words. Never the text around it: the file may not be a
    /// profile at all (a key file given by mistake), and its lines must not be echoed.
    private static func describe(_ error: YamlError, reading: ProfileReading) -> String {
        switch error {
        case .parser(_, let problem, _, _) where problem.contains("Maximum nesting level"):
            return "the profile nests lists and mappings more than the YAML parser's 1000 levels (limit: \(reading.maximumDepth) levels)"
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return "not valid YAML: \(problem)"
        case .reader(let problem, _, let value, _):
            // The character by its code point only: the file's text is not echoed.
            return "not readable as YAML: \(problem)" + (value >= 0 ? " (\(MessageQuote.codePoint(UInt32(value))))" : "")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "the mapping that starts here has a key twice: \(duplicates.map { "'\(MessageQuote.clipped($0))'" }.joined(separator: ", "))"
        default:
            return "not valid YAML"
        }
    }

    private static func location(of error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
        case .reader(_, let offset?, _, let yaml):
            // `offset` counts characters; lines and columns (of Unicode scalars, as the
            // scanner's marks count them) from 1.
            var (line, column) = (1, 1)
            for character in yaml.prefix(offset) {
                if character.isNewline { (line, column) = (line + 1, 1) } else { column += character.unicodeScalars.count }
            }
            return SourceLocation(file: file, line: line, column: column)
        default:
            return SourceLocation(file: file)
        }
    }
}

private extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}

/// A profile's text by line, as Unicode scalars (the unit of Yams's columns): what the
/// composed nodes do not say — whether a node was written with a tag, where a repeated
/// key is. Lines break where the YAML parser breaks them (LF, CR, CR LF, NEL, U+2028,
/// U+2029; a leading byte-order mark is not counted), so that a node's mark names the line
/// read here. Each line is split once: a node's check costs its own few scalars.
struct ProfileText {
    private let lines: [[Unicode.Scalar]]

    init(_ text: String) {
        var lines: [[Unicode.Scalar]] = [[]]
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var afterCR = false
        for scalar in scalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n", afterCR { continue }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                lines.append([])
            } else {
                lines[lines.count - 1].append(scalar)
            }
        }
        self.lines = lines
    }

    /// The explicit tag of the node starting at `line`, `column` (1-based; after an anchor
    /// `&name`, which may come first, on its line or an earlier one), or `nil`.
    func tag(line: Int, column: Int) -> String? {
        guard lines.indices.contains(line - 1) else { return nil }
        var line = line
        var scalars = lines[line - 1]
        var index = column - 1
        guard scalars.indices.contains(index) else { return nil }
        // A token ends at a blank or, in a flow collection, at a flow indicator: `[&a,&a,…]`
        // must not scan to the line's end from every node.
        func skipToken() {
            while index < scalars.count, !" \t,[]{}".unicodeScalars.contains(scalars[index]) { index += 1 }
        }
        func skipBlanks() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        if scalars[index] == "&" {
            index += 1
            skipToken()
            skipBlanks()
            // Properties may continue on the next line (`k: &a` / `  !t x`): past blank and
            // comment-only lines, to the first other one.
            while index >= scalars.count || scalars[index] == "#", lines.indices.contains(line) {
                line += 1
                scalars = lines[line - 1]
                index = 0
                skipBlanks()
            }
        }
        guard index < scalars.count, scalars[index] == "!" else { return nil }
        let start = index
        skipToken()
        var tag = String.UnicodeScalarView()
        tag.append(contentsOf: scalars[start..<index])
        return String(tag)
    }

    /// Where `key` is written a second time in the block mapping whose first key starts at
    /// `line`, `column` (1-based), with the line of its first writing; `nil` when it is not
    /// found there (a flow mapping, `{a: 1, a: 2}`, or a key spelt otherwise).
    func repeatedKey(_ key: String, mappingAt line: Int, column: Int) -> (line: Int, first: Int)? {
        guard line >= 1, column >= 1 else { return nil }
        let indent = column - 1
        var first: Int?
        for number in line...max(line, lines.count) where lines.indices.contains(number - 1) {
            let scalars = lines[number - 1]
            if number > line {
                guard let content = scalars.firstIndex(where: { $0 != " " }), scalars[content] != "#", scalars[content] != "\r" else { continue }
                if content < indent { break }
                guard content == indent else { continue }
            }
            guard Self.startsWithKey(scalars, at: indent, key: key) else { continue }
            if let first { return (number, first) }
            first = number
        }
        return nil
    }

    /// Whether `scalars` hold, from `index`, `key` (bare or quoted) and then a colon.
    private static func startsWithKey(_ scalars: [Unicode.Scalar], at index: Int, key: String) -> Bool {
        let wanted = Array(key.unicodeScalars)
        for quote in [nil, "\"", "'"] as [Unicode.Scalar?] {
            var position = index
            if let quote {
                guard position < scalars.count, scalars[position] == quote else { continue }
                position += 1
            }
            guard position + wanted.count <= scalars.count, Array(scalars[position..<position + wanted.count]) == wanted else { continue }
            position += wanted.count
            if let quote {
                guard position < scalars.count, scalars[position] == quote else { continue }
                position += 1
            }
            while position < scalars.count, scalars[position] == " " { position += 1 }
            if position < scalars.count, scalars[position] == ":" { return true }
        }
        return false
    }
}
