import FairleadCore

/// Reads one mapping of a profile key by key, remembering which keys were used, so that
/// ``finish()`` can reject unknown keys (with a "did you mean" suggestion). Every error
/// names the key path (`decisions[1].top_k`), the file, line and column.
struct ProfileMapping {
    private let pairs: [(key: String, keyLocation: SourceLocation, value: ProfileNode)]
    let location: SourceLocation
    /// The key path of this mapping, e.g. `sensitive[0]`; empty at the root.
    let path: String
    private var used: Set<String> = []

    init(_ node: ProfileNode, path: String) throws {
        guard case .mapping(let pairs) = node.value else {
            throw ProfileMapping.error("expected a mapping of keys to values, found \(node.kindName)", path: path, at: node.location)
        }
        self.pairs = pairs
        self.location = node.location
        self.path = path
    }

    /// The key path of `key` inside this mapping.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw node of `key`, marking it used; `nil` when absent or null.
    mutating func node(_ key: String) -> ProfileNode? {
        used.insert(key)
        guard let node = pairs.first(where: { $0.key == key })?.value else { return nil }
        if case .null = node.value { return nil }
        return node
    }

    /// A required key's node.
    mutating func requiredNode(_ key: String, expected: String) throws -> ProfileNode {
        guard let node = node(key) else {
            throw ProfileMapping.error("missing required key '\(key)' (\(expected))", path: path(of: key), at: location)
        }
        return node
    }

    mutating func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        return try ProfileMapping.scalar(node, path: path(of: key), expected: "a text value")
    }

    /// The path of a file (``ProfileMapping/path(_:path:expected:)``: no NUL character).
    mutating func filePath(_ key: String, expected: String) throws -> String? {
        guard let node = node(key) else { return nil }
        return try ProfileMapping.path(node, path: path(of: key), expected: expected)
    }

    mutating func requiredString(_ key: String, expected: String) throws -> String {
        try ProfileMapping.scalar(requiredNode(key, expected: expected), path: path(of: key), expected: expected)
    }

    mutating func double(_ key: String) throws -> Double? {
        guard let node = node(key) else { return nil }
        return try ProfileMapping.number(node, path: path(of: key))
    }

    mutating func integer(_ key: String, atLeast minimum: Int) throws -> Int? {
        guard let node = node(key) else { return nil }
        let text = try ProfileMapping.scalar(node, path: path(of: key), expected: "a whole number")
        guard let value = Int(text), value >= minimum else {
            throw ProfileMapping.error("expected a whole number ≥ \(minimum), found '\(MessageQuote.clipped(text, limit: 80))'", path: path(of: key), at: node.location)
        }
        return value
    }

    /// A list of text values; a single value is accepted as a list of one.
    mutating func stringList(_ key: String) throws -> [String]? {
        guard let node = node(key) else { return nil }
        return try ProfileMapping.stringList(node, path: path(of: key))
    }

    /// Fails on keys that were never asked for: they are typos or misplaced settings,
    /// and ignoring them would silently audit something other than what was written.
    func finish(allowed: [String]) throws {
        for entry in pairs where !used.contains(entry.key) {
            var message = "unknown key '\(MessageQuote.clipped(entry.key))'"
            if let suggestion = typoNames(of: entry.key, in: allowed, limit: 1).first {
                message += " (did you mean '\(suggestion)'?)"
            }
            message += "; expected one of: \(allowed.joined(separator: ", "))"
            throw ProfileMapping.error(message, path: path(of: entry.key), at: entry.keyLocation)
        }
    }

    // MARK: - Scalars

    static func scalar(_ node: ProfileNode, path: String, expected: String) throws -> String {
        guard case .scalar(let text, _) = node.value else {
            throw error("expected \(expected), found \(node.kindName)", path: path, at: node.location)
        }
        return text
    }

    /// The path of a file a profile names (`data.path`, `model.path`, `extends`, …): a
    /// value, without a NUL character. YAML's `"\0"` and JSON's `"\u0000"` write one, and
    /// the system reads a path only up to it: `leads.csv\0zzz` read `leads.csv`.
    static func path(_ node: ProfileNode, path: String, expected: String) throws -> String {
        let text = try scalar(node, path: path, expected: expected)
        if let problem = RegularFile.nulProblem(in: text) {
            throw error("\(problem); write the file's path without it", path: path, at: node.location)
        }
        return text
    }

    static func number(_ node: ProfileNode, path: String) throws -> Double {
        let text = try scalar(node, path: path, expected: "a number")
        guard let value = AuditProfile.decimal(text) else {
            throw error("expected a number, found '\(MessageQuote.clipped(text, limit: 80))'", path: path, at: node.location)
        }
        return value
    }

    static func stringList(_ node: ProfileNode, path: String) throws -> [String] {
        switch node.value {
        case .scalar(let text, _):
            return [text]
        case .sequence(let items):
            return try items.enumerated().map { index, item in
                // YAML reads `null`, `~` and an empty item as no value: the text needs quotes.
                if case .null = item.value {
                    throw error("expected a text value, found nothing (null); write \"null\" in quotes for the text null",
                                path: "\(path)[\(index)]", at: item.location)
                }
                return try scalar(item, path: "\(path)[\(index)]", expected: "a text value")
            }
        default:
            throw error("expected a list of values, found \(node.kindName)", path: path, at: node.location)
        }
    }

    static func sequence(_ node: ProfileNode, path: String, expected: String) throws -> [ProfileNode] {
        guard case .sequence(let items) = node.value else {
            throw error("expected a list (\(expected)), found \(node.kindName)", path: path, at: node.location)
        }
        return items
    }

    /// `true` or `false` (YAML's `yes`/`no`/`on`/`off` too), located when it is neither.
    static func boolean(_ node: ProfileNode, path: String) throws -> Bool {
        let text = try scalar(node, path: path, expected: "true or false")
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            throw error("expected true or false, found '\(MessageQuote.clipped(text, limit: 80))'", path: path, at: node.location)
        }
    }

    static func error(_ message: String, path: String, at location: SourceLocation) -> FairleadError {
        var location = location
        location.field = path.isEmpty ? nil : path
        return FairleadError(.invalidProfile, message, at: location)
    }
}

extension ProfileMapping {
    /// The keys of this mapping in written order.
    var keys: [String] { pairs.map(\.key) }
}

extension AuditProfile {
    /// A finite number as data holds one (``CSVReader/number(_:)``): `[+-]` digits with an
    /// optional fraction, or a fraction alone, and an optional exponent, within a
    /// double's range; spaces and tabs around. Not hex (`0x1p-1`), `nan`, `inf`, digit
    /// separators, nor a number out of range (`1e400`, or `1e-400`, which `Double(_:)`
    /// reads as 0): the one reading of a number in a profile, a rule and a flag.
    public static func decimal(_ text: String) -> Double? {
        guard let value = CSVReader.number(text), value.isFinite else { return nil }
        return value
    }
}
