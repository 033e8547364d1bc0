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

    /// Parses YAML (or JSON, which YAML 1.2 reads) into a located tree.
    static func parse(_ text: String, file: String) throws -> ProfileNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw FairleadError(.invalidProfile, Self.describe(error), at: Self.location(of: error, file: file))
        }
        guard let root else {
            throw FairleadError(.invalidProfile, "the profile is empty; expected a mapping with at least 'name' and 'data'",
                                at: SourceLocation(file: file))
        }
        return try ProfileNode(root, file: file)
    }

    private init(_ node: Node, file: String) throws {
        let mark = node.mark
        location = SourceLocation(file: file, line: mark?.line, column: mark?.column)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                value = .null
            } else {
                value = .scalar(scalar.string, isQuoted: scalar.style != .plain)
            }
        case .sequence(let sequence):
            value = .sequence(try sequence.map { try ProfileNode($0, file: file) })
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: ProfileNode)] = []
            for (key, child) in mapping {
                let keyLocation = SourceLocation(file: file, line: key.mark?.line, column: key.mark?.column)
                guard let name = key.string else {
                    throw FairleadError(.invalidProfile, "expected a plain key, found a \(key.kindName)", at: keyLocation)
                }
                pairs.append((name, keyLocation, try ProfileNode(child, file: file)))
            }
            value = .mapping(pairs)
        case .alias:
            throw FairleadError(.invalidProfile, "YAML aliases are not supported in profiles; write the value out",
                                at: location)
        }
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
    /// value in `self` replaces the base's. This is how `extends:` works.
    func overriding(_ base: ProfileNode) -> ProfileNode {
        guard case .mapping(let overrides) = value, case .mapping(var merged) = base.value else { return self }
        for entry in overrides {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index] = (entry.key, entry.keyLocation, entry.value.overriding(merged[index].value))
            } else {
                merged.append(entry)
            }
        }
        return ProfileNode(value: .mapping(merged), location: location)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return "not valid YAML: \(problem)"
        case .reader(let problem, _, _, _):
            return "not readable as YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "the mapping that starts here has a key twice: \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
        default:
            return "not valid YAML: \(error)"
        }
    }

    private static func location(of error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
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
