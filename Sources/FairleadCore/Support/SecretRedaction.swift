import Foundation

/// Connection text with what could be a password replaced by `***`, before it is put into
/// a message, a log line, a report or the history.
///
/// Two forms are redacted, wherever they appear in the text:
///
/// - **URL-like**: after each `://`, the userinfo's password — from the first `:` up to
///   the last `@` before the next `://` (or the end). The last `@`, not the first: a
///   password written without percent-encoding may hold `@`, `/` or `[`, and a malformed
///   URL is redacted as a well-formed one is. A URL without `:` before its last `@` has
///   no password, and is left as it is.
/// - **libpq keywords**: the value of every `password=` (any case, spaces around `=`),
///   quoted with `'` or `"` (backslash escapes; an unterminated quote runs to the end) or
///   not (up to the next space).
///
///     SecretRedaction.redacted("postgresql://u:p@ss@[::1/crm")
///     // "postgresql://u:***@[::1/crm"
///     SecretRedaction.redacted("host=db user=u password = 'it''s' dbname=crm")
///     // "host=db user=u password=*** dbname=crm"
///
/// It errs towards redacting too much: a URL whose query holds an `@` after a port loses
/// the text between them, never a password.
public enum SecretRedaction {
    /// What stands for a redacted password.
    public static let mask = "***"

    /// `text` with every URL password and keyword password replaced by ``mask``.
    public static func redacted(_ text: some StringProtocol) -> String {
        redactingKeywords(redactingURLs(String(text)))
    }

    /// Whether `text` holds something ``redacted(_:)`` would hide.
    public static func holdsSecret(_ text: some StringProtocol) -> Bool {
        redacted(text) != String(text)
    }

    private static func redactingURLs(_ text: String) -> String {
        var result = ""
        var rest = text[...]
        while let marker = rest.range(of: "://") {
            result += rest[..<marker.upperBound]
            let afterMarker = rest[marker.upperBound...]
            // The authority's text runs to the next URL at most.
            let span = afterMarker.range(of: "://").map { afterMarker[..<$0.lowerBound] } ?? afterMarker
            guard let at = span.lastIndex(of: "@"), let colon = span[..<at].firstIndex(of: ":") else {
                rest = afterMarker
                continue
            }
            result += afterMarker[...colon]
            result += mask
            rest = afterMarker[at...]
        }
        return result + rest
    }

    private static func redactingKeywords(_ text: String) -> String {
        let characters = Array(text)
        let keyword = Array("password")
        var result = ""
        var index = 0
        while index < characters.count {
            guard matchesKeyword(characters, at: index, keyword) else {
                result.append(characters[index])
                index += 1
                continue
            }
            var cursor = index + keyword.count
            while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
            guard cursor < characters.count, characters[cursor] == "=" else {
                result.append(contentsOf: characters[index..<index + keyword.count])
                index += keyword.count
                continue
            }
            cursor += 1
            while cursor < characters.count, characters[cursor].isWhitespace, characters[cursor] != "\n" { cursor += 1 }
            result.append(contentsOf: characters[index..<index + keyword.count])
            result += "=" + mask
            index = endOfValue(characters, from: cursor)
        }
        return result
    }

    private static func matchesKeyword(_ characters: [Character], at index: Int, _ keyword: [Character]) -> Bool {
        guard index + keyword.count <= characters.count else { return false }
        for offset in 0..<keyword.count where characters[index + offset].lowercased() != String(keyword[offset]) {
            return false
        }
        return true
    }

    /// The index after a keyword's value that starts at `start`.
    private static func endOfValue(_ characters: [Character], from start: Int) -> Int {
        guard start < characters.count else { return start }
        let quote = characters[start]
        guard quote == "'" || quote == "\"" else {
            var end = start
            while end < characters.count, !characters[end].isWhitespace { end += 1 }
            return end
        }
        var end = start + 1
        while end < characters.count {
            if characters[end] == "\\" {
                end += 2
                continue
            }
            if characters[end] == quote {
                // A doubled quote is a quote inside the value (SQL's way); one alone ends it.
                if end + 1 < characters.count, characters[end + 1] == quote {
                    end += 2
                    continue
                }
                return end + 1
            }
            end += 1
        }
        return characters.count
    }
}
