import FairleadCore
import Foundation

/// One aggregate SQL query that computes, inside the database that holds the rows, the
/// statistics a profile's audit needs (`fairlead sql`): per decision and per attribute or
/// intersection (one `GROUPING SETS` query), per group and confusion cell, the rows, Σw,
/// Σw², Σw over scored rows, Σw·score and the scores' range. Its result, saved as CSV,
/// completes the audit (`fairlead audit --from-stats result.csv`; ``StatisticsPart/fromQueryResult(_:file:spec:)``)
/// with the numbers an audit of the same rows read from a file gives (docs/scale.md).
///
/// The query reads the rows as the CSV reader would: every value in the profile's
/// missing markers (`""`, `NA`, `NaN`, `null` by default) is missing, labels are 0/1 or
/// true/false (or the profile's `positive` values), binned attributes are cut into the
/// bins' groups, and a number column's text is a number only when the file reader would
/// read it as one; a one-hot attribute's group is the one whose indicator is 1. What it
/// cannot judge in SQL — a label that is neither, a number column's text that is not a
/// number, two indicators at 1 on a row — it reports as cell `invalid_label`,
/// `invalid_number` or `several_indicators`, which completing the audit refuses.
public struct PushdownQuery: Sendable {
    /// The SQL dialects the query is written for.
    public enum Dialect: String, Sendable, CaseIterable {
        case postgres, spark, bigquery, duckdb
    }

    /// Where the rows are: a table (`schema.table` is split and quoted) or a query.
    public enum Source: Sendable, Equatable {
        case table(String)
        case query(String)
    }

    /// How a column is stored, when the database says (``columnTypes``).
    public enum ColumnType: String, Sendable, CaseIterable {
        /// Floating point or `numeric`: may hold NaN.
        case double
        case integer
        case boolean
        /// Compared as text against the missing markers: what an undeclared column gets.
        case text
    }

    public var profile: AuditProfile
    public var dialect: Dialect
    public var source: Source
    /// The types of the rows' columns, where known (`data.postgres` with `pushdown: true`
    /// asks the server; `fairlead sql --column-type`). A numeric or boolean column is
    /// tested for a missing value with `IS NULL` (and, for `double` with `NaN` among the
    /// missing markers, `= NaN`) instead of casting each value to text and comparing it
    /// with the markers — the same rows, without a text conversion per value. A column
    /// whose type is not given, or whose markers could be the text of one of its values
    /// (a marker `-1` on a number column), is compared as text.
    public var columnTypes: [String: ColumnType] = [:]

    /// The result's columns, in order: `decision`, `grouping` (a bit mask: bit i set when
    /// attribute i is not in the grouping), one `a<i>` per sensitive attribute, `cell`,
    /// `rows`, `weight`, `squared_weight`, `scored_weight`, `score_sum`, `min_score`, `max_score`,
    /// and `statistics_spec`: the SHA-256 of the profile's ``StatisticsSpec``, so that a
    /// result completes only an audit under the profile it was made for.
    /// With a score grid (`grid`), also `grid_cell`, `calibration_bin`, `positive_weight`,
    /// `score_squared_sum` and `positive_score_sum`: the rows of cells `grid`,
    /// `grid_missing_label` (and `grid_invalid_label`) histogram the scored rows per grid
    /// cell and reliability bin.
    public static func resultColumns(attributeCount: Int, grid: Bool = false) -> [String] {
        ["decision", "grouping"] + (0..<attributeCount).map { "a\($0)" }
            + ["cell", "rows", "weight", "squared_weight", "scored_weight", "score_sum", "min_score", "max_score", "statistics_spec"]
            + (grid ? gridColumns : [])
    }

    /// The columns a score grid adds to the result.
    public static let gridColumns = ["grid_cell", "calibration_bin", "positive_weight", "score_squared_sum", "positive_score_sum"]

    public init(profile: AuditProfile, dialect: Dialect, source: Source, columnTypes: [String: ColumnType] = [:]) {
        self.profile = profile
        self.dialect = dialect
        self.source = source
        self.columnTypes = columnTypes
    }

    /// The missing markers the query applies.
    private var markers: [String] { profile.data.missingMarkers ?? CSVOptions().missingMarkers.sorted() }

    /// The type `column` is read as: its declared type, unless a missing marker could be
    /// the text of one of its values, when comparing text is what an audit of its text does.
    func readType(_ column: String) -> ColumnType {
        guard let type = columnTypes[column] else { return .text }
        switch type {
        case .double:
            // NaN is tested as a number; any other marker that reads as a number is compared as text.
            return markers.contains { $0 != "NaN" && Double($0) != nil } ? .text : .double
        case .integer:
            return markers.contains { Int($0) != nil } ? .text : .integer
        case .boolean:
            return markers.contains { ["true", "false"].contains($0) } ? .text : .boolean
        case .text:
            return .text
        }
    }

    /// The query's text.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` for a profile that needs the rows
    ///   (``StatisticsSupport``).
    public func sql() throws -> String {
        try StatisticsSupport.check(profile)
        try checkPrintable()
        let data = profile.data
        let markerList = markers.map(literal).joined(separator: ", ")
        /// The column, NULL when missing.
        func present(_ column: String) -> String {
            let name = quoted(column)
            switch readType(column) {
            case .text:
                // The text, not the value: a `real` column's 0.45 widened to a double is
                // 0.449999988…, while its text reads as 0.45 — what an audit of the streamed
                // rows reads (BigQuery has no single-precision column, and its FLOAT64 text
                // need not round-trip).
                let value = text(name)
                return "CASE WHEN \(value) IN (\(markerList)) THEN NULL ELSE \(dialect == .bigquery ? name : value) END"
            case .double where markers.contains("NaN"):
                let nan = dialect == .bigquery ? "IS_NAN(\(name))" : "\(name) = CAST('NaN' AS \(doubleType))"
                return "CASE WHEN \(name) IS NULL OR \(nan) THEN NULL ELSE \(name) END"
            case .double, .integer, .boolean: return name
            }
        }
        /// The text of a number column read as text (NULL when missing); nil for a column
        /// read as a number, whose values need no reading.
        func numberText(_ column: String) -> String? {
            readType(column) == .text ? text(present(column)) : nil
        }
        /// The column's number, NULL when missing — and NULL for a text the file reader
        /// does not read as a finite number (`inf`, `0x1p-1`, `nan`, `1d`, `1_000`), which
        /// the database's own CAST may read (PostgreSQL, Spark) or turn into NULL (Spark
        /// without ANSI mode); such rows are the cell `invalid_number`.
        func number(_ column: String) -> String {
            let cast = "CAST(\(present(column)) AS \(doubleType))"
            guard let value = numberText(column) else { return cast }
            return "CASE WHEN \(plainDecimal(value)) THEN \(cast) WHEN \(matches(value, numberPattern)) THEN \(cast) END"
        }
        /// 1, 0, NULL when missing, -1 for another value: a 0/1 or true/false column.
        func binary(_ column: String) -> String {
            switch readType(column) {
            case .integer:
                return "CASE WHEN \(quoted(column)) IS NULL THEN NULL WHEN \(quoted(column)) = 1 THEN 1 WHEN \(quoted(column)) = 0 THEN 0 ELSE -1 END"
            case .boolean:
                return "CASE WHEN \(quoted(column)) IS NULL THEN NULL WHEN \(quoted(column)) THEN 1 ELSE 0 END"
            case .double, .text:
                // A float's text ('-0', '1e+20') is what the audit of its text judges: the
                // words true/false, or a number (as the file reader reads numbers) equal to 1 or 0.
                let value = text(present(column))
                let number = "CAST(\(value) AS \(doubleType))"
                // '1' and '0' first: most labels, without a regular expression.
                return "CASE WHEN \(value) IS NULL THEN NULL WHEN \(value) = '1' THEN 1 WHEN \(value) = '0' THEN 0"
                    + " WHEN \(matches(value, wordPattern("true"))) THEN 1"
                    + " WHEN \(matches(value, wordPattern("false"))) THEN 0"
                    + " WHEN \(matches(value, numberPattern)) THEN CASE WHEN \(number) = 1 THEN 1"
                    + " WHEN \(number) = 0 AND NOT \(matches(value, nonZeroMantissaPattern)) THEN 0 ELSE -1 END"
                    + " ELSE -1 END"
            }
        }
        var select: [String] = []
        select.append("\(number(data.score)) AS s")
        select.append("\(data.weight.map(number) ?? "CAST(1 AS \(doubleType))") AS w")
        if let label = data.label {
            let value = text(present(label))
            if let positive = data.labelPositive {
                // Each value in every normalized spelling: the database compares bytes, the
                // file reader canonically (an NFD "wön" in the data is the profile's NFC one).
                var spellings: [String] = []
                for spelling in positive.flatMap(MessageQuote.normalizedSpellings)
                where !spellings.contains(where: { $0.unicodeScalars.elementsEqual(spelling.unicodeScalars) }) {
                    spellings.append(spelling)
                }
                select.append("CASE WHEN \(value) IS NULL THEN NULL WHEN \(value) IN (\(spellings.map(literal).joined(separator: ", "))) THEN 1 ELSE 0 END AS y")
            } else {
                select.append("\(binary(label)) AS y")
            }
        } else {
            select.append("0 AS y")
        }
        var predictionColumns: [String] = []
        for decision in profile.decisions {
            if case .predictionColumn(let column) = decision.kind, !predictionColumns.contains(column) {
                predictionColumns.append(column)
            }
        }
        for (index, column) in predictionColumns.enumerated() {
            select.append("\(binary(column)) AS p\(index)")
        }
        // Per one-hot attribute, its indicators read as 0/1 columns are: 1, 0, NULL, -1.
        var oneHotChecks: [(invalid: String, several: String)] = []
        for (index, attribute) in profile.sensitive.enumerated() {
            if let indicators = attribute.oneHot {
                // The group whose indicator is 1; NULL when none is, or one is missing. A row
                // with two at 1, or another value, is the cell several_indicators or
                // invalid_indicator (column h below), which completing the audit refuses.
                let flags = indicators.map { binary($0.column) }
                let cases = zip(flags, indicators).map { "WHEN \($0) = 1 THEN \(literal($1.group))" }.joined(separator: " ")
                select.append("CASE WHEN \(flags.map { "\($0) IS NULL" }.joined(separator: " OR ")) THEN NULL \(cases) ELSE NULL END AS a\(index)")
                oneHotChecks.append((flags.map { "\($0) = -1" }.joined(separator: " OR "),
                                     "(" + flags.map { "CASE WHEN \($0) = 1 THEN 1 ELSE 0 END" }.joined(separator: " + ") + ") > 1"))
            } else if let bins = attribute.bins {
                let value = number(attribute.column)
                let names = bins.groupNames
                var cases = "CASE WHEN \(value) IS NULL THEN NULL"
                for (position, edge) in bins.edges.enumerated() {
                    cases += " WHEN \(value) < \(doubleLiteral(edge)) THEN \(literal(names[position]))"
                }
                select.append(cases + " ELSE \(literal(names[names.count - 1])) END AS a\(index)")
            } else {
                select.append("\(text(present(attribute.column))) AS a\(index)")
            }
        }
        if let consent = data.consent {
            select.append("\(consentCase(consent, value: text(present(consent.column)))) AS c")
        }
        if !oneHotChecks.isEmpty {
            // Every indicator's value first, then two at 1: as the audit of the rows reads them.
            select.append("CASE WHEN \(oneHotChecks.map(\.invalid).joined(separator: " OR ")) THEN 1"
                          + " WHEN \(oneHotChecks.map(\.several).joined(separator: " OR ")) THEN 2 ELSE 0 END AS h")
        }
        // 1 when a number column read as text (score, weight, binned attribute) holds a
        // value that is neither missing nor a finite number as the file reader reads
        // numbers (`inf` and `nan` are not). So is a number beyond a double's range, which
        // the reader refuses too: a text the cast reads as ±inf, a non-zero one it reads
        // as 0 (PostgreSQL's cast stops the query on both instead). A CASE tests each
        // text before casting it.
        let numberTexts = Self.numberColumns(profile).compactMap(numberText)
        if !numberTexts.isEmpty {
            let largest = doubleLiteral(Double.greatestFiniteMagnitude)
            let bad = numberTexts.map { value in
                let cast = "CAST(\(value) AS \(doubleType))"
                return "CASE WHEN \(value) IS NULL OR \(plainDecimal(value)) THEN FALSE"
                    + " WHEN NOT \(matches(value, numberPattern)) THEN TRUE"
                    + " WHEN ABS(\(cast)) > \(largest)"
                    + " OR (\(cast) = 0 AND \(matches(value, nonZeroMantissaPattern))) THEN TRUE ELSE FALSE END"
            }
            select.append("CASE \(bad.map { "WHEN \($0) THEN 1" }.joined(separator: " ")) ELSE 0 END AS x")
        }
        // The cells every decision tests first: a number column's text that is not a number
        // (the file reader refuses it as it reads); rows without consent (and invalid
        // consent values); a one-hot attribute's indicator that is not 0/1, or two at 1 on
        // a row (an audit of the consenting rows refuses both); then a weight that is missing, negative, NaN or past the largest
        // an audit of the rows accepts (AuditColumns.largestWeight), which completing the
        // audit refuses.
        let leadingCells = (numberTexts.isEmpty ? [] : ["WHEN x = 1 THEN 'invalid_number'"])
            + (data.consent == nil ? [] : ["WHEN c = -1 THEN 'invalid_consent'", "WHEN c = 0 THEN 'no_consent'"])
            + (oneHotChecks.isEmpty ? [] : ["WHEN h = 1 THEN 'invalid_indicator'", "WHEN h = 2 THEN 'several_indicators'"])
            + (data.weight == nil ? [] : ["WHEN w IS NULL OR NOT (w >= 0 AND w <= \(doubleLiteral(AuditColumns.largestWeight))) THEN 'invalid_weight'"])
        let grid = profile.scoreGrid
        /// The grid cell and reliability bin of the scored rows (ScoreGrid.cell(of:), calibrationBin(of:)).
        func gridSelect(_ grid: ScoreGrid?) -> String {
            guard profile.scoreGrid != nil else { return "" }
            guard let grid else { return "y, CAST(NULL AS \(doubleType)) AS g, CAST(NULL AS \(doubleType)) AS b, " }
            let cell = grid.width > 0
                ? "LEAST(GREATEST(CEIL((s - \(doubleLiteral(grid.lower))) * \(doubleLiteral(Double(grid.bins))) / \(doubleLiteral(grid.width))) - 1, 0), \(grid.bins - 1))"
                : "0"
            let edges = ScoreGrid.calibrationEdges
            let bin = "CASE " + (1..<(edges.count - 1)).reversed().map { "WHEN s > \(doubleLiteral(edges[$0])) THEN \($0)" }.joined(separator: " ") + " ELSE 0 END"
            return "y, CAST(\(cell) AS \(doubleType)) AS g, CAST(\(bin) AS \(doubleType)) AS b, "
        }
        let decisions = profile.decisions.map { decision -> String in
            var cases = leadingCells
            let selected: String
            switch decision.kind {
            case .threshold(let threshold):
                cases.append("WHEN s IS NULL THEN 'missing_score'")
                selected = "s >= \(doubleLiteral(threshold))"
            case .predictionColumn(let column):
                let p = "p\(predictionColumns.firstIndex(of: column) ?? 0)"
                cases += ["WHEN \(p) IS NULL THEN 'missing_prediction'", "WHEN \(p) = -1 THEN 'invalid_prediction'"]
                selected = "\(p) = 1"
            case .topCount, .topFraction:
                selected = "FALSE"  // refused by StatisticsSupport above
            }
            cases += ["WHEN y IS NULL THEN 'missing_label'", "WHEN y = -1 THEN 'invalid_label'",
                      "WHEN \(selected) AND y = 1 THEN 'tp'", "WHEN \(selected) THEN 'fp'", "WHEN y = 1 THEN 'fn'"]
            let cell = "CASE " + cases.joined(separator: " ") + " ELSE 'tn' END"
            return "SELECT \(literal(decision.name)) AS decision, \(cell) AS cell, s, w, \(gridSelect(nil))\((0..<profile.sensitive.count).map { "a\($0)" }.joined(separator: ", ")) FROM base"
        }
        var branches = decisions
        if let grid {
            branches.append("SELECT CAST(NULL AS \(textType)) AS decision, CASE WHEN y IS NULL THEN 'grid_missing_label' WHEN y = -1 THEN 'grid_invalid_label' ELSE 'grid' END AS cell, s, w, \(gridSelect(grid))\((0..<profile.sensitive.count).map { "a\($0)" }.joined(separator: ", ")) FROM base WHERE s IS NOT NULL\(data.consent == nil ? "" : " AND c = 1")")
        }
        let gridKeys = grid == nil ? "" : "g, b, "
        let attributeIndex = Dictionary(uniqueKeysWithValues: profile.sensitive.enumerated().map { ($1.column, $0) })
        let sets = profile.groupings.map { attributes in
            "(decision, cell, \(gridKeys)" + attributes.compactMap { attributeIndex[$0].map { "a\($0)" } }.joined(separator: ", ") + ")"
        }
        let mask = profile.sensitive.indices.map { $0 == 0 ? "GROUPING(a0)" : "\(1 << $0) * GROUPING(a\($0))" }.joined(separator: " + ")
        let attributes = profile.sensitive.indices.map { "a\($0)" }.joined(separator: ", ")
        let gridAggregates = grid == nil ? "" : """
            ,
                   g AS grid_cell, b AS calibration_bin, SUM(CASE WHEN y = 1 THEN w ELSE 0 END) AS positive_weight,
                   SUM(CASE WHEN s IS NULL THEN 0 ELSE \(product(product("w", "s"), "s")) END) AS score_squared_sum, SUM(CASE WHEN y = 1 AND s IS NOT NULL THEN \(product("w", "s")) ELSE 0 END) AS positive_score_sum
            """
        return """
            -- fairlead sql: the statistics of profile \(comment(profile.name)) (\(dialect.rawValue)); statistics spec \(StatisticsSpec(profile).sha256)
            -- Save the result as CSV with a header, then: fairlead audit --profile PROFILE --from-stats RESULT.csv
            WITH base AS (
              SELECT \(select.joined(separator: ",\n         "))
              FROM \(from)
            ),
            decided AS (
              \(branches.joined(separator: "\n  UNION ALL\n  "))
            )
            SELECT decision, \(mask) AS \(quoted("grouping")), \(attributes), cell,
                   COUNT(*) AS \(quoted("rows")), SUM(w) AS weight, SUM(\(product("w", "w"))) AS squared_weight,
                   SUM(CASE WHEN s IS NULL THEN 0 ELSE w END) AS scored_weight, SUM(CASE WHEN s IS NULL THEN 0 ELSE \(product("w", "s")) END) AS score_sum,
                   MIN(s) AS min_score, MAX(s) AS max_score, \(literal(StatisticsSpec(profile).sha256)) AS statistics_spec\(gridAggregates)
            FROM decided
            GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))
            ORDER BY decision, \(quoted("grouping")), \(attributes), cell\(grid == nil ? "" : ", g, b")

            """
    }

    /// `a * b` as the file reader's arithmetic makes it: 0 where the product is too small
    /// for a double. PostgreSQL instead stops the query ("value out of range: underflow")
    /// on non-zero factors whose product rounds to 0: a score of 2e-174 (a logistic score at
    /// a margin of -400) squared, a weight of 1e-150 times a score of 1e-175. There, a
    /// product below e^-740 (4.2e-322, a few of the smallest subnormals) is written 0;
    /// CASE fixes the order, so no logarithm of 0 is taken. Other dialects multiply as
    /// IEEE 754 does. A factor `w` without a weight column is 1: its products need no guard.
    private func product(_ a: String, _ b: String) -> String {
        let one = profile.data.weight == nil ? "w" : nil
        guard dialect == .postgres, a != one, b != one else { return "\(a) * \(b)" }
        return "CASE WHEN \(a) = 0 OR \(b) = 0 THEN \(a) * \(b) WHEN LN(ABS(\(a))) + LN(ABS(\(b))) >= -740 THEN \(a) * \(b) "
            + "WHEN \(a) IS NULL OR \(b) IS NULL THEN NULL ELSE 0 END"
    }

    /// The word `word` in any case, spaces and tabs around: a true/false column's value.
    private func wordPattern(_ word: String) -> String {
        "^\(blank)*\(caseless([word]))\(blank)*\(end)"
    }

    /// The columns read as numbers, each once: the score, the weight, binned attributes —
    /// those whose text the query tests (`invalid_number`).
    static func numberColumns(_ profile: AuditProfile) -> [String] {
        var columns: [String] = []
        let named = [profile.data.score] + (profile.data.weight.map { [$0] } ?? []) + profile.sensitive.filter { $0.bins != nil }.map(\.column)
        for column in named where !columns.contains(column) { columns.append(column) }
        return columns
    }

    /// The text the file reader reads as a finite number, as an audit reads a score,
    /// weight or binned attribute (`CSVOptions.refusesInfinity`): `[+-]` digits with an
    /// optional fraction, or a fraction alone, then an optional exponent; spaces and tabs
    /// around. Not `inf` or `infinity` (which the reader refuses in those columns), nor
    /// hex (`0x1p-1`), `nan`, a type suffix (`1d`), digit separators or other white
    /// space, which databases' casts read.
    var numberPattern: String {
        "^\(blank)*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?\(blank)*\(end)"
    }

    /// True for the common spelling of a number — digits with at most one point, up to
    /// 300 characters (`0.423512`, `17`, `.5`) — tested without a regular expression:
    /// the file reader reads such a text as a number, always within a double's range
    /// (below 10³⁰⁰, and 0 or at least 10⁻²⁹⁹), so neither ``numberPattern`` nor the
    /// range test need run on it. On PostgreSQL, whose regular expressions are slow, the
    /// query of 1M leads as text ran in 8.1–8.6 s with this test against 9.6–9.7 s without
    /// (docs/benchmarks.md).
    private func plainDecimal(_ value: String) -> String {
        "(\(value) NOT IN ('', '.') AND TRANSLATE(\(value), '0123456789', '') IN ('', '.') AND LENGTH(\(value)) <= 300)"
    }

    /// A number text whose digits before any exponent are not all zero: one a cast that
    /// reads as 0 has read out of a double's range.
    var nonZeroMantissaPattern: String { "^[^eE]*[1-9]" }

    /// A space or tab, as the file reader trims them: ASCII only in every dialect
    /// (`[[:blank:]]` and Unicode's `\p{Blank}` also match a no-break or thin space in
    /// some locales and engines, which the reader does not trim).
    private var blank: String { "[ \\t]" }
    /// The end of the text, in the dialect's regular expressions (Java's `$` also matches
    /// before a final line break).
    private var end: String { dialect == .spark ? "\\z" : "$" }

    /// A group matching any of `words` in any case, letter by letter: LOWER depends on the
    /// database's locale (Turkish lowers I to ı).
    private func caseless(_ words: [String]) -> String {
        "(" + words.map { word in
            word.map { character -> String in
                if character == "." { return "[.]" }
                guard character.isASCII, character.isLetter else { return String(character) }
                return "[\(character.lowercased())\(character.uppercased())]"
            }.joined()
        }.joined(separator: "|") + ")"
    }

    /// 1 when the consent column's `value` (text; NULL for a missing marker) consents to
    /// the purpose, 0 when it does not, -1 when it is not a valid consent value — what
    /// ``AuditProfile/ConsentSpec/consents(_:)`` says of it: `true`/`yes`/`y`/`1` consent,
    /// `false`/`no`/`n`/`0` and blank do not (any case, spaces and tabs around), else a list
    /// of purposes separated by `;` or `|` consents when the purpose is among them.
    private func consentCase(_ consent: AuditProfile.ConsentSpec, value: String) -> String {
        let name = "[A-Za-z0-9_.:-]+"
        return "CASE WHEN \(value) IS NULL THEN 0"
            + " WHEN \(matches(value, "^\(blank)*\(caseless(["false", "no", "n", "0"]))?\(blank)*\(end)")) THEN 0"
            + " WHEN \(matches(value, "^\(blank)*\(caseless(["true", "yes", "y", "1"]))\(blank)*\(end)")) THEN 1"
            + " WHEN NOT \(matches(value, "^\(blank)*\(name)(\(blank)*[;|]\(blank)*\(name))*\(blank)*\(end)")) THEN -1"
            + " WHEN \(matches(value, "(^|[;|])\(blank)*\(caseless([consent.purpose]))\(blank)*([;|]|\(end))")) THEN 1"
            + " ELSE 0 END"
    }

    /// Whether `value` contains a match of the regular expression `pattern`.
    private func matches(_ value: String, _ pattern: String) -> String {
        switch dialect {
        case .postgres: return "(\(value) ~ \(literal(pattern)))"
        case .spark: return "(\(value) RLIKE \(literal(pattern)))"
        case .bigquery: return "REGEXP_CONTAINS(\(value), \(literal(pattern)))"
        case .duckdb: return "regexp_matches(\(value), \(literal(pattern)))"
        }
    }

    /// The rows' `columns`, each cast to text by the database: what a database source
    /// streams into the CSV reader (`data.postgres`), so that only those columns leave it.
    public func rowsQuery(columns: [String]) -> String {
        "SELECT " + columns.map { "\(text(quoted($0))) AS \(quoted($0))" }.joined(separator: ", ") + " FROM \(from)"
    }

    /// One row of the rows' columns — a row of NULLs when there are none — whose column
    /// names are the rows' header.
    public var columnNamesQuery: String {
        "SELECT probe.* FROM (SELECT 1) AS fairlead_one LEFT JOIN (SELECT * FROM \(from)) AS probe ON true LIMIT 1"
    }

    /// One row of NULLs with the rows' columns and their types, without running the rows'
    /// query (its `WHERE false` is planned as a one-time filter): what tells a database
    /// source the columns' types.
    public var columnTypesQuery: String {
        "SELECT probe.* FROM (SELECT 1) AS fairlead_one LEFT JOIN (SELECT * FROM \(from) WHERE false) AS probe ON true"
    }

    /// ``sql()`` with every result column cast to text, for a client that reads the result
    /// as CSV text (`pushdown: true`).
    public func textSQL() throws -> String {
        let columns = Self.resultColumns(attributeCount: profile.sensitive.count, grid: profile.scoreGrid != nil)
        return "SELECT " + columns.map { "\(text(quoted($0))) AS \(quoted($0))" }.joined(separator: ", ")
            + " FROM (\n\(try sql())\n) AS statistics"
    }

    var from: String {
        switch source {
        case .table(let name): return name.split(separator: ".", omittingEmptySubsequences: false).map { quoted(String($0)) }.joined(separator: ".")
        case .query(let query):
            // A query as one would type it into psql may end with a semicolon; a subquery may not.
            var text = query.trimmingCharacters(in: .whitespacesAndNewlines)
            while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
            return "(\n\(text)\n) AS source_rows"
        }
    }

    private var doubleType: String {
        switch dialect {
        case .postgres: return "DOUBLE PRECISION"
        case .spark, .duckdb: return "DOUBLE"
        case .bigquery: return "FLOAT64"
        }
    }

    private var textType: String {
        switch dialect {
        case .postgres: return "TEXT"
        case .spark, .bigquery: return "STRING"
        case .duckdb: return "VARCHAR"
        }
    }

    private func text(_ expression: String) -> String {
        switch dialect {
        case .postgres: return "CAST(\(expression) AS TEXT)"
        case .spark, .bigquery: return "CAST(\(expression) AS STRING)"
        case .duckdb: return "CAST(\(expression) AS VARCHAR)"
        }
    }

    /// An identifier, quoted for the dialect: a quote inside is doubled (PostgreSQL, DuckDB,
    /// Spark); BigQuery reads a quoted identifier's escapes as a string literal's, so a
    /// backslash and a backtick are escaped there (a final backslash would otherwise
    /// escape the closing backtick).
    func quoted(_ name: String) -> String {
        switch dialect {
        case .postgres, .duckdb: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        case .bigquery:
            return "`" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
        }
    }

    /// Refuses a name or value the query would carry with a control character (an ANSI
    /// escape, a line break, a bidi override): printed, it would reach the terminal as it
    /// is, and inside a quoted name or literal there is no portable way to spell it out.
    /// A source query may hold tabs and line breaks.
    private func checkPrintable() throws {
        let data = profile.data
        var named: [(what: String, text: String)] = [("data.score", data.score)]
        if let weight = data.weight { named.append(("data.weight", weight)) }
        if let label = data.label { named.append(("data.label", label)) }
        for value in data.labelPositive ?? [] { named.append(("data.label.positive", value)) }
        for marker in markers { named.append(("data.missing_markers", marker)) }
        if let consent = data.consent { named += [("data.consent.column", consent.column), ("data.consent.purpose", consent.purpose)] }
        for decision in profile.decisions {
            named.append(("decisions", decision.name))
            if case .predictionColumn(let column) = decision.kind { named.append(("decisions.\(decision.name)", column)) }
        }
        for attribute in profile.sensitive {
            named.append(("sensitive", attribute.column))
            for name in attribute.bins?.groupNames ?? [] { named.append(("sensitive.\(attribute.column).bins", name)) }
            for indicator in attribute.oneHot ?? [] {
                named += [("sensitive.\(attribute.column).one_hot", indicator.group), ("sensitive.\(attribute.column).one_hot.\(indicator.group)", indicator.column)]
            }
        }
        switch source {
        case .table(let name):
            named.append(("the table", name))
            // `schema.table` is split at its points: every part must name something.
            if name.split(separator: ".", omittingEmptySubsequences: false).contains(where: { $0.isEmpty }) {
                throw FairleadError(.usage,
                                    "the table '\(MessageQuote.clipped(name))' has an empty name\(name.isEmpty ? "" : " between its points"); give the table as name or schema.name")
            }
        case .query(let query):
            named.append(("the query", String(query.unicodeScalars.filter { !["\t", "\n", "\r"].contains($0) })))
        }
        for (what, text) in named where TerminalEscaping.visible(text) != text {
            throw FairleadError(.invalidProfile,
                                "\(what) '\(MessageQuote.clipped(text))' holds a control character; the SQL would carry it to the terminal or file as it is — rename it, or audit a view whose names are plain")
        }
    }

    /// A string literal: quotes doubled in standard SQL; Spark and BigQuery read
    /// backslash escapes, so a backslash and a quote are escaped there. PostgreSQL reads a
    /// plain literal's backslashes as escapes when a server or database sets
    /// `standard_conforming_strings = off`: a value with a backslash is written as an
    /// escape string (`E'won\\big'`), read alike under either setting (a plain `'won\big'`
    /// matched `wonbig`'s rows there, and a value ending in a backslash ended the literal).
    func literal(_ value: String) -> String {
        switch dialect {
        case .postgres where value.contains("\\"):
            return "E'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        case .postgres, .duckdb:
            return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark, .bigquery:
            return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
    }

    /// A double as SQL reads it back exactly: the shortest decimal that round-trips,
    /// cast to the dialect's double type.
    private func doubleLiteral(_ value: Double) -> String {
        "CAST(\(value.description) AS \(doubleType))"
    }

    /// Text for a `--` comment: one line, no control characters.
    /// Controls, line and paragraph separators and bidirectional overrides are shown
    /// escaped (`\u{202E}`), as everywhere else a name is echoed: the comment stays one
    /// line, and reads in the order it was written.
    private func comment(_ text: String) -> String {
        TerminalEscaping.visible(text)
    }
}
