import Foundation

/// JSON text with no character that could act on a terminal when the JSON is printed:
/// JSON encoders escape C0 controls, but leave DEL, C1 controls (U+009B is a CSI on some
/// terminals) and bidirectional overrides raw. This writes each of them as a `\uXXXX`
/// escape, which every JSON reader decodes back to the same character — the values stay
/// exact.
///
///     JSONEscaping.escapingHidden(#"{"g":"west\u202Egnp"}"# with U+202E raw)   // {"g":"west\u202egnp"}
///
/// The characters are those ``TerminalEscaping`` makes visible besides C0: DEL,
/// U+0080–U+009F, U+061C, U+200B–U+200F, U+2028–U+202E, U+2060–U+2069, U+FEFF,
/// U+FFF9–U+FFFB. Outside strings JSON is ASCII, so only string contents change.
public enum JSONEscaping {
    /// `json` with DEL, C1 controls and bidirectional or invisible format characters as `\uXXXX`.
    public static func escapingHidden(_ json: Data) -> Data {
        json.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if _VisibleBytes.isJSONPlain(bytes) { return json }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 64)
            _VisibleBytes.appendJSONEscapingHidden(bytes, to: &output)
            return Data(output)
        }
    }
}
