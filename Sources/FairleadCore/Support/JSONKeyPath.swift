/// The path to a value in a JSON document as messages name it: `learner.objective.name`,
/// `findings[1].undecided_cause`, and a key that is not a plain name in brackets and quotes,
/// `groups["north.east"]`, so that a key holding a dot or a bracket cannot be read as two.
///
///     JSONKeyPath.member("trees") + JSONKeyPath.index(3)   // ".trees[3]"
///     JSONKeyPath.text(".trees[3]")                       // "trees[3]"
///     JSONKeyPath.text(decodingError.codingPath)          // "findings[1].value"
public enum JSONKeyPath {
    /// The component that names `key` of an object: `.key`, or `["key"]` when `key` is
    /// empty or holds anything but ASCII letters, digits, `_` and `-`.
    public static func member(_ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        if plain { return "." + key }
        var quoted = ""
        for character in key {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.append(character)
            }
        }
        return "[\"\(quoted)\"]"
    }

    /// The component that names element `index` of an array: `[index]`.
    public static func index(_ index: Int) -> String {
        "[\(index)]"
    }

    /// A path of components as a message shows it: without the leading dot.
    public static func text(_ components: String) -> String {
        components.hasPrefix(".") ? String(components.dropFirst()) : components
    }

    /// A decoder's coding path as a message shows it, each key spelt by `name` (the JSON's
    /// spelling of a Swift property name, when a key strategy converts it); `""` for the
    /// top level.
    public static func text(_ codingPath: [any CodingKey], name: (String) -> String = { $0 }) -> String {
        text(codingPath.map { key in key.intValue.map(index) ?? member(name(key.stringValue)) }.joined())
    }
}
