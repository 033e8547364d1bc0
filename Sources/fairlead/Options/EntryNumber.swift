import ArgumentParser

/// `--entry N` of `history show` and `history label`: an entry's id, numbered 1, 2, 3, …
/// in append order (docs/history.md).
///
/// The options read their value with `parsing: .unconditional`, so that `--entry -1`
/// reaches ``parse(_:)`` and is refused for what it is; by default ArgumentParser takes a
/// leading dash for another option and said only "Missing value for '--entry <entry>'".
enum EntryNumber {
    /// `text` as an entry number.
    ///
    /// - Throws: a `ValidationError` that ArgumentParser prints after the option's name
    ///   (`The value '-1' is invalid for '--entry <entry>': entry numbers start at 1 …`).
    static func parse(_ text: String) throws -> Int64 {
        if text.hasPrefix("--") {
            throw ValidationError("an entry number was expected, found the next option (give --entry a number such as 3)")
        }
        guard let number = Int64(text) else {
            throw ValidationError("an entry number is a whole number such as 3 (entries are numbered 1, 2, 3, … as they are appended)")
        }
        guard number >= 1 else {
            throw ValidationError("entry numbers start at 1 (the first entry appended is entry 1)")
        }
        return number
    }
}
