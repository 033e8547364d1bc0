/// Splits LightGBM's text model into its header and `Tree=` blocks of `key=value` lines,
/// remembering line numbers for error messages.
struct LightGBMTextReader {
    /// A run of `key=value` lines: the header or one tree.
    struct Block {
        var index: Int
        var line: Int
        var lines: [(String, String, Int)]
        var path: String
        /// Whether the text ended inside this block (no blank line, `Tree=` or `end of trees` after it).
        var endsAtEndOfFile = false

        func value(_ key: String) -> String? { lines.first { $0.0 == key }?.1 }
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

        private func numbers<T>(_ key: String, count: Int, parse: (Substring) -> T?) throws -> [T] {
            guard let text = value(key) else { throw fail("has no \(key)= line", key) }
            let fields = text.split(separator: " ")
            guard fields.count == count else {
                throw fail("\(key) has \(fields.count) values, expected \(count)", key)
            }
            var result: [T] = []
            result.reserveCapacity(count)
            for (position, field) in fields.enumerated() {
                guard let number = parse(field) else {
                    throw fail("\(key)[\(position)] is \"\(MessageQuote.clipped(field, limit: 40))\", not a finite number", key)
                }
                result.append(number)
            }
            return result
        }
    }

    private let lines: [Substring]
    private let path: String
    private var position = 0
    /// Whether the `end of trees` line was read.
    private(set) var sawEndOfTrees = false

    init(text: String, path: String) {
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        self.path = path
    }

    /// The lines before the first `Tree=` line.
    mutating func readHeader() throws -> Block {
        var block = Block(index: -1, line: 1, lines: [], path: path)
        while position < lines.count, !lines[position].hasPrefix("Tree=") {
            let line = lines[position]
            if line == "end of trees" { break }
            if let equals = line.firstIndex(of: "=") {
                block.lines.append((String(line[..<equals]), String(line[line.index(after: equals)...]), position + 1))
            } else if !line.isEmpty {
                block.lines.append((String(line), "", position + 1))
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
        while position < lines.count, !lines[position].isEmpty {
            let line = lines[position]
            if line.hasPrefix("Tree=") || line == "end of trees" { break }
            guard let equals = line.firstIndex(of: "=") else {
                throw FairleadError(.invalidModel, "expected key=value in Tree=\(index), found a line without \"=\"",
                                    at: SourceLocation(file: path, line: position + 1))
            }
            block.lines.append((String(line[..<equals]), String(line[line.index(after: equals)...]), position + 1))
            position += 1
        }
        block.endsAtEndOfFile = position >= lines.count
        return block
    }
}
