import ArgumentParser
import Fairlead
import Foundation

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print one aggregate SQL query that computes a profile's statistics where the rows live.",
        discussion: """
            The query computes, inside the database, every decision's per-group counts, \
            weights and score sums under every attribute and intersection (GROUPING SETS), \
            reading the rows as an audit of a file would (missing markers, 0/1 labels, bins). \
            Save its result as CSV with a header and complete the audit from it; no row \
            leaves the database:

              fairlead sql --profile leads.yaml --dialect postgres --table crm.scored_leads > stats.sql
              psql "$DATABASE_URL" -c "COPY ($(cat stats.sql)) TO STDOUT (FORMAT csv, HEADER)" > result.csv
              fairlead audit --profile leads.yaml --from-stats result.csv

            Dialects: postgres, spark, bigquery, duckdb. A typed table's numeric and \
            boolean columns can be declared (--column-type score=double): they are then \
            tested for missing values with IS NULL rather than as text. Profiles with top-k \
            decisions, NDKL or exposure rules, individual fairness, a model, drift, \
            mitigation or quasi-identifiers need the rows and are refused (docs/scale.md).

            Exit codes: 0 printed; 2 bad input or usage; 3 internal error.
            """
    )

    @Option(help: "The audit profile (YAML or JSON).")
    var profile: String

    @Option(help: "The SQL dialect: postgres, spark, bigquery or duckdb.")
    var dialect: PushdownQuery.Dialect

    @Option(help: "The table that holds the rows (schema.table is quoted part by part).")
    var table: String?

    @Option(help: "A query whose result is the rows (instead of --table).")
    var query: String?

    @Option(name: .customLong("column-type"), parsing: .singleValue,
            help: ArgumentHelp("A column's type in the database, NAME=TYPE (double, integer, boolean or text; repeatable): a numeric or boolean column is tested for missing values with IS NULL instead of as text.",
                               valueName: "name=type"))
    var columnTypes: [String] = []

    @Option(help: "Write the query to this file (atomically) instead of standard output.")
    var out: String?

    /// The --column-type options as a map.
    func declaredTypes() throws -> [String: PushdownQuery.ColumnType] {
        var types: [String: PushdownQuery.ColumnType] = [:]
        for option in columnTypes {
            guard let equals = option.lastIndex(of: "="), equals != option.startIndex,
                  let type = PushdownQuery.ColumnType(rawValue: String(option[option.index(after: equals)...])) else {
                throw ValidationError("--column-type expects NAME=TYPE with a type among \(PushdownQuery.ColumnType.allCases.map(\.rawValue).joined(separator: ", ")), found '\(option)'")
            }
            types[String(option[..<equals])] = type
        }
        return types
    }

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<SQLCommand>

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if (table == nil) == (query == nil) {
            throw ValidationError("give the rows' --table or a --query whose result they are (one of the two)")
        }
        _ = try declaredTypes()
    }

    func run() throws {
        let resolved = try AuditProfile.load(path: profile, reading: limits.over(profileReading.reading))
        let source: PushdownQuery.Source = table.map { .table($0) } ?? .query(query ?? "")
        let output = try OutputSink(path: out, inputs: resolved.sourceFiles.map { $0 })
        defer { output.abandon() }
        let types = try declaredTypes()
        // A declared name the profile does not read would be ignored: a typo, said.
        for name in types.keys.sorted() where !resolved.columnsRead.contains(name) {
            throw FairleadError(.usage, "--column-type names the column \"\(MessageQuote.clipped(name, limit: 80))\", which the profile does not read; its columns: \(resolved.columnsRead.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        try output.write(PushdownQuery(profile: resolved, dialect: dialect, source: source, columnTypes: types).sql())
        try output.finish()
    }
}

extension PushdownQuery.Dialect: ExpressibleByArgument {}

extension SQLCommand: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = [.maxGridBins]
    static let limitsReads = "reads only the profile, and prints a query (`fairlead audit --from-stats`, which reads the query's result, takes the others)"
}
