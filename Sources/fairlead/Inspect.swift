import ArgumentParser
import Fairlead
import Foundation

/// `fairlead inspect FILE`: reads every column of a CSV file and prints its shape.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read every column of a CSV file and print its rows, columns, types and missing counts.",
        discussion: """
            Types are inferred over the whole file (boolean, numeric or categorical): boolean \
            when the values are 0 and 1 (both) or true/false words, numeric when they are \
            numbers (a column of 1s alone is numeric). A column with no values (every one \
            missing, or no rows) is empty. For categorical and boolean columns the most \
            common values are listed with their counts.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The CSV file to inspect (.csv, or gzip-compressed .csv.gz).")
    var file: String

    @Option(help: "Output format: text (an aligned table) or json.")
    var format: Format = .text

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var limits: LimitsOption<Inspect>

    @Option(help: "Values listed per categorical column, most common first.")
    var maxLevels: Int = 8

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        guard maxLevels >= 0 else { throw ValidationError("--max-levels must not be negative") }
    }

    func run() throws {
        var options = CSVOptions()
        options.limits = limits.applied()
        options.threads = try threads.apply(limits: options.limits)
        let table = try CSVReader.read(path: file, options: options)
        if let hint = CSVHeaderRecognition.delimiterWarning(header: table.columns.map(\.name)) {
            writeToStandardError("fairlead: warning: \(TerminalEscaping.visible(file)): \(hint)")
        }
        let summary = InspectSummary(file: file, table: table, maxLevels: maxLevels)
        switch format {
        case .text: try OutputSink.print(summary.text())
        case .json: try OutputSink.print(try summary.json() + "\n")
        }
    }
}

/// What `fairlead inspect` reports about a table; rendered as text or JSON.
struct InspectSummary: Encodable {
    struct LevelCount: Encodable {
        var level: String
        var count: Int
    }

    struct ColumnSummary: Encodable {
        var name: String
        var type: String
        var missing: Int
        /// Distinct non-missing values (categorical and boolean columns).
        var distinctLevels: Int?
        /// The most common values, most common first (ties in order of first appearance).
        var levels: [LevelCount]?

        enum CodingKeys: String, CodingKey {
            case name, type, missing, levels
            case distinctLevels = "distinct_levels"
        }
    }

    var file: String
    var rows: Int
    var columns: [ColumnSummary]

    /// The type shown for a column with no values: every one missing, or no rows.
    static let emptyType = "empty"

    init(file: String, table: Table, maxLevels: Int) {
        self.file = file
        rows = table.rowCount
        columns = table.columns.map { column in
            // No value to type it by: said so, not typed by the reader's default.
            let isEmpty = column.missingCount == column.count
            var summary = ColumnSummary(name: column.name, type: isEmpty ? Self.emptyType : column.type.rawValue,
                                        missing: column.missingCount)
            var counts: [LevelCount]?
            switch column.storage {
            case _ where isEmpty:
                counts = nil
            case .categorical(let values):
                counts = zip(values.levels, values.levelCounts()).map { LevelCount(level: $0, count: $1) }
            case .boolean(let values):
                var trues = 0
                for (value, missing) in zip(values.values, values.isMissing) where value && !missing { trues += 1 }
                counts = [LevelCount(level: "true", count: trues),
                          LevelCount(level: "false", count: values.count - values.missingCount - trues)]
                    .filter { $0.count > 0 }
            case .numeric:
                counts = nil
            }
            if let counts {
                summary.distinctLevels = counts.count
                let ranked = counts.enumerated().sorted { ($1.element.count, $0.offset) < ($0.element.count, $1.offset) }
                summary.levels = ranked.prefix(maxLevels).map(\.element)
            }
            return summary
        }
    }

    /// An aligned table: one line per column. Names and values come from the file: each
    /// is a label with its controls made visible and cut at ``TextTable/labelWidth``
    /// (the JSON keeps them whole).
    func text() -> String {
        let header = ["column", "type", "missing", "values"]
        let rows = columns.map { column -> [String] in
            var values = ""
            if column.type == Self.emptyType {
                values = self.rows == 0 ? "no values (the file has no rows)" : "no values (every one missing)"
            } else if let levels = column.levels, let distinct = column.distinctLevels, distinct > levels.count,
               levels.first?.count == 1 {
                values = "\(distinct) distinct, each once"
            } else if let levels = column.levels, let distinct = column.distinctLevels {
                values = levels.map { "\(TextTable.label($0.level)) \($0.count)" }.joined(separator: ", ")
                if distinct > levels.count { values += (values.isEmpty ? "" : ", ") + "… (\(distinct) distinct)" }
            }
            return [TextTable.label(column.name), column.type, String(column.missing), values]
        }
        let widths = (0..<3).map { index in ([header] + rows).map { $0[index].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let name = cells[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)
            let type = cells[1].padding(toLength: widths[1], withPad: " ", startingAt: 0)
            let missing = String(repeating: " ", count: widths[2] - cells[2].count) + cells[2]
            return "\(name)  \(type)  \(missing)  \(cells[3])".trimmingCharacters(in: .whitespaces) + "\n"
        }
        var text = "\(TerminalEscaping.visible(file)): \(self.rows) rows, \(columns.count) columns\n\n"
        text += line(header)
        for row in rows { text += line(row) }
        return text
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: JSONEscaping.escapingHidden(try encoder.encode(self)), as: UTF8.self)
    }
}

extension Inspect: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads])
    static let limitsReads = "reads one CSV file"
}
