extension CSVReader {
    /// The number a numeric column reads `text` as — `[+-]` digits with an optional
    /// fraction, or a fraction alone, an optional exponent, or `inf`/`infinity` in any case;
    /// ASCII spaces and tabs around — or `nil` when it is not one (hex, `nan`, `1d`,
    /// `1_000` are not). Missing markers are the caller's to test first.
    public static func number(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return _DecimalParser.parse(UnsafePointer(base), count: buffer.count)
        }
    }

    /// What a true/false column reads `text` as — `true`/`false` in any case, or a bare
    /// `1`/`0`; ASCII spaces and tabs around — or `nil`.
    public static func boolean(_ text: String) -> Bool? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return _DecimalParser.parseBoolean(UnsafePointer(base), count: buffer.count)?.value
        }
    }
}
