/// Splits LightGBM's text model into its header and `Tree=` blocks of `key=value` lines,
/// remembering line numbers for error messages.
struct LightGBMTextReader {
    /// A run of `key=value` lines: the header or one tree.
    struct Block {
        var index: Int
        var line: Int
        /// Each line's key, value and line number: slices of the model's text, not copies (a
        /// value line of a large tree is megabytes).
        var lines: [(Substring, Substring, Int)]
        var path: String
        /// Whether the text ended inside this block (no blank line, `Tree=` or `end of trees` after it).
        var endsAtEndOfFile = false

        func value(_ key: String) -> Substring? { lines.first { $0.0 == key }?.1 }
        func line(_ key: String) -> Int? { lines.first { $0.0 == key }?.2 }

        private func fail(_ message: String, _ key: String) -> FairleadError {
            let subject = index >= 0 ? "Tree=\(index) " : ""
            let truncated = endsAtEndOfFile ? "the file is truncated: " : ""
            return FairleadError(.invalidModel, truncated + subject + message, at: SourceLocation(file: path, line: line(key) ?? line))
        }

        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            guard let text = value(key) else {
                if let fallback { return fallback }
                throw fail("has no \(key)= line", key)
            }
            guard let number = Int(text) else { throw fail("\(key)=\(MessageQuote.clipped(text, limit: 40)) is not an integer", key) }
            return number
        }

        func integers(_ key: String, count: Int) throws -> [Int] {
            try numbers(key, count: count) { Int($0) }
        }

        func doubles(_ key: String, count: Int) throws -> [Double] {
            try numbers(key, count: count) { text in Double(text).flatMap { $0.isFinite ? $0 : nil } }
        }

        /// The line's space-separated values, parsed where they lie: no array of the fields is
        /// made (it took twice the line's bytes on top of the line). A wrong count is said
        /// before a value that does not parse, as when the fields were split first.
        private func numbers<T>(_ key: String, count: Int, parse: (Substring) -> T?) throws -> [T] {
            guard let text = value(key) else { throw fail("has no \(key)= line", key) }
            var result: [T] = []
            // Each value takes a byte and a space at least: a hostile count reserves no more.
            result.reserveCapacity(max(0, min(count, text.utf8.count / 2 + 1)))
            var fieldCount = 0
            var unparsed: (position: Int, field: Substring)?
            LightGBMTextReader.forEachField(of: text) { field in
                if fieldCount < count, unparsed == nil {
                    if let number = parse(field) { result.append(number) } else { unparsed = (fieldCount, field) }
                }
                fieldCount += 1
            }
            guard fieldCount == count else {
                throw fail("\(key) has \(fieldCount) values, expected \(count)", key)
            }
            if let (position, field) = unparsed {
                throw fail("\(key)[\(position)] is \"\(MessageQuote.clipped(field, limit: 40))\", not a finite number", key)
            }
            return result
        }
    }

    /// Calls `body` with each field of `text` in turn, as `text.split(separator: " ")` gives
    /// them, without making their array. An ASCII line is cut at its space bytes; a line with
    /// any other byte (never a number) by `split`, whose spaces are whole characters (a
    /// space and the combining mark after it are one character, and no separator).
    static func forEachField(of text: Substring, _ body: (Substring) -> Void) {
        let bytes = text.utf8
        guard !bytes.contains(where: { $0 >= 0x80 }) else {
            for field in text.split(separator: " ") { body(field) }
            return
        }
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: " ") {
                if start != index { body(text[start..<index]) }
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start != bytes.endIndex { body(text[start..<bytes.endIndex]) }
    }

    private let lines: [Substring]
    private let path: String
    private var position = 0
    /// Whether the `end of trees` line was read.
    private(set) var sawEndOfTrees = false

    init(text: String, path: String) {
        // "\r\n" is one Character in Swift, never equal to "\n": a model saved with CRLF
        // line ends (on Windows, or through a text-mode copy) splits on it too.
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        self.path = path
    }

    /// The lines before the first `Tree=` line.
    mutating func readHeader() throws -> Block {
        var block = Block(index: -1, line: 1, lines: [], path: path)
        // As in a tree: a key given twice (`objective=` on two lines) would be read from its
        // first line, which a reader of the text need not take for the one that counts.
        var keyLines: [Substring: Int] = [:]
        while position < lines.count, !lines[position].hasPrefix("Tree=") {
            let line = lines[position]
            if line == "end of trees" { break }
            if let equals = line.firstIndex(of: "=") {
                let key = line[..<equals]
                if let earlier = keyLines.updateValue(position + 1, forKey: key) {
                    throw FairleadError(.invalidModel, "the header gives \(MessageQuote.clipped(key, limit: 40))= twice, on lines \(earlier) and "
                                        + "\(position + 1); a model's header has one line per key", at: SourceLocation(file: path, line: position + 1))
                }
                block.lines.append((key, line[line.index(after: equals)...], position + 1))
            } else if !line.isEmpty {
                block.lines.append((line, "", position + 1))
            }
            position += 1
        }
        return block
    }

    /// The next `Tree=` block, or nil at `end of trees` or the end of the text.
    mutating func readTree() throws -> Block? {
        while position < lines.count, lines[position].isEmpty { position += 1 }
        guard position < lines.count else { return nil }
        let first = lines[position]
        if first == "end of trees" {
            sawEndOfTrees = true
            return nil
        }
        guard first.hasPrefix("Tree="), let index = Int(first.dropFirst("Tree=".count)) else {
            throw FairleadError(.invalidModel, "expected a Tree= line or \"end of trees\", found a line that is neither",
                                at: SourceLocation(file: path, line: position + 1))
        }
        var block = Block(index: index, line: position + 1, lines: [], path: path)
        position += 1
        // Each key's line, to refuse a key given twice: the first would be read and the
        // other silently ignored, and which one LightGBM meant is not for a reader to guess.
        var keyLines: [Substring: Int] = [:]
        while position < lines.count, !lines[position].isEmpty {
            let line = lines[position]
            if line.hasPrefix("Tree=") || line == "end of trees" { break }
            guard let equals = line.firstIndex(of: "=") else {
                throw FairleadError(.invalidModel, "expected key=value in Tree=\(index), found a line without \"=\"",
                                    at: SourceLocation(file: path, line: position + 1))
            }
            let key = line[..<equals]
            if let earlier = keyLines.updateValue(position + 1, forKey: key) {
                throw FairleadError(.invalidModel, "Tree=\(index) gives \(MessageQuote.clipped(key, limit: 40))= twice, on lines \(earlier) and "
                                    + "\(position + 1); a tree has one line per key", at: SourceLocation(file: path, line: position + 1))
            }
            block.lines.append((key, line[line.index(after: equals)...], position + 1))
            position += 1
        }
        block.endsAtEndOfFile = position >= lines.count
        return block
    }
}
