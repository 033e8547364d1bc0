/// An error in what a user gave Fairlead: a data file, a profile, a model file or a flag.
///
/// Every message names where the problem is (file, line, column or key) and what was
/// expected, so that it can be fixed without reading code:
///
///     leads.csv:12:3 (column "score"): expected a number, found "n/a"
///
/// Programmer mistakes are preconditions, not `FairleadError`s.
public struct FairleadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of input was wrong; the CLI maps every kind but `.internalFailure`
    /// to exit code 2.
    public enum Kind: String, Sendable, Equatable {
        /// A data file: unreadable, malformed, or with values of the wrong type.
        case invalidData
        /// A profile or configuration value.
        case invalidProfile
        /// A model file.
        case invalidModel
        /// A command-line usage problem.
        case usage
        /// A bug or an unexpected failure of the system; exit code 3.
        case internalFailure
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    /// The limit that was hit, when a ``Limits`` bound stopped the work: whoever reports
    /// the error says how to raise it.
    public var limit: Limits.Name?
    /// The 0-based data record a value error is about, for a caller that knows the
    /// record's physical line (the metrics engine knows rows, not lines).
    public var row: Int?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil,
                limit: Limits.Name? = nil, row: Int? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.limit = limit
        self.row = row
    }

    /// `file:line:column (field): message`; an error that knows its row but not its line
    /// says `row index N` (0-based) before the message.
    public var description: String {
        var text = message
        if let row, location?.line == nil { text = "row index \(row): " + text }
        guard let location, !location.description.isEmpty else { return text }
        return "\(location): \(text)"
    }
}

/// Where in an input a problem was found. Lines and columns count from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String?
    /// The 1-based physical line (a quoted field spanning lines counts each line).
    public var line: Int?
    /// The 1-based field number within the record, or character column in a text file.
    public var column: Int?
    /// A column name (CSV) or a key path (profile), e.g. `rules[2].threshold`.
    public var field: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String {
        var text = file ?? ""
        if let line {
            text += text.isEmpty ? "line \(line)" : ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let field {
            // A key or column name comes from the input: clipped and its control characters shown.
            let shown = MessageQuote.clipped(field, limit: 120)
            text += text.isEmpty ? "\"\(shown)\"" : " (\(shown))"
        }
        return text
    }
}
