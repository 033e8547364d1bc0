import FairleadCore
import Foundation

extension StatisticsPart {
    /// A part from `file`: the JSON of `fairlead stats` when the file starts with `{` (or
    /// `[`, JSON that is no part), else the CSV result of the profile's ``PushdownQuery``.
    public static func read(_ file: String, profile: AuditProfile) throws -> StatisticsPart {
        var memory = StatisticsPartMemory(limits: profile.limits)
        return try read(file, profile: profile, memory: &memory)
    }

    /// A part from `file`, as ``read(_:profile:)`` reads it; a JSON part once `memory`
    /// admits it beside the parts read before it (``StatisticsPartMemory``).
    public static func read(_ file: String, profile: AuditProfile, memory: inout StatisticsPartMemory) throws -> StatisticsPart {
        let bytes = try BoundedFile.read(file, limits: profile.limits, kind: .invalidData, what: "statistics part",
                                          text: "a statistics part (JSON) or a query result (CSV text)")
        if let encoding = ForeignTextEncoding.detect(bytes) { throw encoding.refusal(of: file, kind: .invalidData) }
        // A gzip file holds a part (`gzip part.stats.json`) or a query result (BigQuery's
        // compressed export): told apart by what it inflates to. A part is decoded from
        // its inflated bytes; a query result is read through gzip as a CSV file is.
        var text = bytes
        if bytes.starts(with: [0x1F, 0x8B]) {
            text = try BoundedFile.inflated(file, limits: profile.limits, kind: .invalidData, what: "statistics part")
            if let encoding = ForeignTextEncoding.detect(text) { throw encoding.refusal(of: file, kind: .invalidData) }
        }
        // JSON (an object, or anything else JSON starts with: `[`) is a part of `fairlead
        // stats`, and refused as such when it is not one; anything else is a query result.
        let first = text.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return try decode(text, file: file, memory: &memory)
        }
        return try fromQueryResult(path: file, profile: profile)
    }

    /// The statistics part of a ``PushdownQuery``'s result saved as CSV with its header
    /// (`psql -c "COPY (…) TO STDOUT (FORMAT csv, HEADER)"`, Spark's `df.write.csv`, BigQuery's
    /// export): the rows are the database's, the shard is the result file.
    ///
    /// A missing value (an empty field: SQL's NULL) in an attribute column is a missing
    /// sensitive value: under `missing: exclude` its rows are counted as excluded, otherwise
    /// they form the group `unknown`, as an audit of the rows would do. A quoted empty field
    /// (`""`) is the empty text, a group of its own (``CSVOptions/emptyFieldIsNull``).
    ///
    /// - Throws: `FairleadError(.invalidData)` at `path` for a result without the query's
    ///   columns, of another profile's decisions, with labels or predictions that are not
    ///   0/1, with scores outside the declared range, or with numbers that cannot be
    ///   statistics (``validate(file:)``).
    public static func fromQueryResult(path: String, profile: AuditProfile) throws -> StatisticsPart {
        try fromQueryResult(.file(path), profile: profile)
    }

    /// The statistics part of a ``PushdownQuery``'s result read from `input` (a file, or
    /// the rows of the query streamed from the database that ran it); messages name
    /// `input.name`.
    public static func fromQueryResult(_ input: CSVInput, profile: AuditProfile) throws -> StatisticsPart {
        let path = input.name
        let attributeCount = profile.sensitive.count
        let grid = profile.scoreGrid
        let names = PushdownQuery.resultColumns(attributeCount: attributeCount, grid: grid != nil)
        let numbers = Set(["grouping", "rows", "weight", "squared_weight", "scored_weight", "score_sum", "min_score", "max_score"]
                          + PushdownQuery.gridColumns)
        var options = CSVOptions()
        options.limits = profile.limits
        // NULL is an empty field, the empty text `""` (every engine's CSV writer: PostgreSQL,
        // DuckDB, Spark): an attribute's '' is a group, as an audit of the rows counts it.
        options.missingMarkers = []
        options.emptyFieldIsNull = true
        let digest = StreamingDigest()
        // Each column's 1-based position, for a value's line and column in a message.
        var positions: [String: Int] = [:]
        let table = try CSVReader.read(input, columns: { header in
            for (position, name) in header.enumerated() where positions[name] == nil { positions[name] = position + 1 }
            for name in names where !header.contains(name) {
                throw FairleadError(.invalidData, "the query result has no column \"\(name)\"; it needs \(names.joined(separator: ", ")) — the columns `fairlead sql` selects",
                                    at: SourceLocation(file: path, line: 1, field: name))
            }
            // A column the query does not select was added after it: what it holds would
            // be read by nobody, and the result is not the query's.
            for (position, name) in header.enumerated() where !names.contains(name) {
                throw FairleadError(.invalidData, "the query result has a column \"\(MessageQuote.clipped(name))\" that `fairlead sql`'s query does not select; it holds \(names.joined(separator: ", "))",
                                    at: SourceLocation(file: path, line: 1, column: position + 1))
            }
            return names.map { ColumnRequest($0, type: numbers.contains($0) ? .numeric : .categorical) }
        }, options: options, observer: digest)
        func text(_ name: String) throws -> (codes: [Int32], levels: [String]) {
            let column = try table.requireColumn(named: name, wanted: .categorical)
            guard let values = column.categorical else {
                throw FairleadError(.invalidData, "column \"\(name)\" must be text", at: SourceLocation(file: path, field: name))
            }
            return (values.codes, values.levels)
        }
        // A quoted empty field ("") where the query can only have NULL: a program that quotes
        // every field on saving (a spreadsheet, pandas' QUOTE_ALL) writes NULL as "", which
        // PostgreSQL's CSV reads as the empty text. The query yields no empty text where
        // '' is a missing marker (the default: it becomes NULL, the missing group), nor in
        // decision, cell and spec; elsewhere '' is a group of its own.
        func nullingEmpty(_ column: (codes: [Int32], levels: [String])) -> (codes: [Int32], levels: [String]) {
            guard let empty = column.levels.firstIndex(of: "") else { return column }
            return (column.codes.map { $0 == Int32(empty) ? -1 : $0 }, column.levels)
        }
        func numeric(_ name: String) throws -> [Double] {
            guard let values = try table.requireColumn(named: name, wanted: .numeric).numeric else {
                throw FairleadError(.invalidData, "column \"\(name)\" must be numeric", at: SourceLocation(file: path, field: name))
            }
            return values.values
        }
        // A row's line: row + 2 while each record is one line; a group value holding a
        // quoted newline moves every later record down, so a file's lines are counted again
        // (only for a message: ``CSVReader/locateRecord(_:column:path:options:)``).
        func line(_ row: Int) -> Int {
            if case .file(let file) = input, let located = CSVReader.locateRecord(row, path: file, options: options)?.line {
                return located
            }
            return row + 2
        }
        let specs = try text("statistics_spec")
        let spec = StatisticsSpec(profile)
        // Every row of the query holds the spec: an empty one was cut (a line ending at its
        // last comma) or emptied, and would let a result of another profile through.
        if let row = specs.codes.firstIndex(where: { $0 < 0 || specs.levels[Int($0)].isEmpty }) {
            throw FairleadError(.invalidData,
                                "line \(line(row)) has an empty statistics_spec, which every row of the query holds (this profile's: \(spec.sha256)): the result is cut short or was changed; save the whole result of the query again",
                                at: SourceLocation(file: path, line: line(row), column: positions["statistics_spec"], field: "statistics_spec"))
        }
        if let other = specs.levels.first(where: { $0 != spec.sha256 }) {
            if !other.isEmpty, spec.sha256.hasPrefix(other), let row = specs.codes.firstIndex(where: { $0 >= 0 && specs.levels[Int($0)] == other }) {
                throw FairleadError(.invalidData,
                                    "line \(line(row)) ends inside its statistics_spec (\(other.count) of its 64 characters): the result is cut short; save the whole result of the query again",
                                    at: SourceLocation(file: path, line: line(row), column: positions["statistics_spec"], field: "statistics_spec"))
            }
            if let row = specs.codes.firstIndex(where: { $0 >= 0 && specs.levels[Int($0)] == other }), specs.levels.contains(spec.sha256) {
                // Some rows hold this profile's spec: the file mixes results, or was edited.
                throw FairleadError(.invalidData,
                                    "line \(line(row)) holds the statistics spec \(MessageQuote.clipped(other)), other rows this profile's (\(spec.sha256)): the result mixes two queries' results or was changed; save the whole result of this profile's query again",
                                    at: SourceLocation(file: path, line: line(row), column: positions["statistics_spec"], field: "statistics_spec"))
            }
            throw FairleadError(.invalidData,
                                "the query result was computed for another statistics spec (\(MessageQuote.clipped(other))) than this profile's (\(spec.sha256)): a decision, attribute, bin or column differs; run this profile's `fairlead sql` again",
                                at: SourceLocation(file: path, field: "statistics_spec"))
        }
        let decision = nullingEmpty(try text("decision"))
        let cell = nullingEmpty(try text("cell"))
        let emptyIsMissing = profile.missingMarkers.contains("")
        let attributes = try (0..<attributeCount).map { attribute in
            let column = try text("a\(attribute)")
            return emptyIsMissing ? nullingEmpty(column) : column
        }
        // Per attribute, the code of "" (when it is a group): NULL where a grouping leaves
        // the attribute out, where no group can be.
        let emptyCodes = attributes.map { column in column.levels.firstIndex(of: "").map(Int32.init) ?? -1 }
        let grouping = try numeric("grouping")
        let sums = try ["rows", "weight", "squared_weight", "scored_weight", "score_sum"].map(numeric)
        let (low, high) = (try numeric("min_score"), try numeric("max_score"))
        // cell, bin, then rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s: a histogram entry's order.
        let gridColumns = ["grid_cell", "calibration_bin", "rows", "weight", "positive_weight", "score_sum",
                           "score_squared_sum", "positive_score_sum"]
        let gridValues = grid == nil ? [] : try gridColumns.map(numeric)

        let groupings = profile.groupings
        let fullMask = (1 << attributeCount) - 1
        let index = Dictionary(uniqueKeysWithValues: profile.sensitive.enumerated().map { ($1.column, $0) })
        // The mask of each grouping: bit i set when attribute i is not in it.
        let masks = groupings.map { members in members.reduce(fullMask) { $0 & ~(1 << index[$1]!) } }
        var accumulators = profile.decisions.map { _ in groupings.map { _ in GroupingAccumulator() } }
        var histograms = groupings.map { _ in HistogramAccumulator() }
        var scores: ScoreRange?
        var scoreRows = (min: 0, max: 0)
        // Rows per decision and grouping; a decision's rows read are its first grouping's.
        var rowsByGrouping = profile.decisions.map { _ in [Int](repeating: 0, count: groupings.count) }
        var withoutConsent = [Int](repeating: 0, count: profile.decisions.count)
        var invalid: [String: [String: Int]] = [:]
        let decisionIndex = Dictionary(uniqueKeysWithValues: profile.decisions.enumerated().map { ($1.name, $0) })
        for row in 0..<table.rowCount {
            func fail(_ message: String) -> FairleadError { FairleadError(.invalidData, message, at: SourceLocation(file: path, line: line(row))) }
            // A value's error, at its line, column and field.
            func valueError(_ message: String, field: String) -> FairleadError {
                FairleadError(.invalidData, message, at: SourceLocation(file: path, line: line(row), column: positions[field], field: field))
            }
            func groupingIndex(_ mask: Double) -> Int? {
                mask.isFinite && mask == mask.rounded() && abs(mask) < 1e9 ? masks.firstIndex(of: Int(mask)) : nil
            }
            // The groupings the query writes, by the number GROUPING() gives each.
            func groupingError(_ mask: Double) -> FairleadError {
                let named = zip(masks, groupings).prefix(8).map { "\($0) (\($1.joined(separator: "*")))" }
                let expected = "expected one of \(named.joined(separator: ", "))\(masks.count > 8 ? ", … (\(masks.count) in all)" : "")"
                return valueError(mask.isNaN ? "grouping is empty or not a number; \(expected)"
                                             : "grouping \(StatisticsPart.shown(mask)) is not one of the profile's attributes or intersections; \(expected)",
                                  field: "grouping")
            }
            // The attributes a grouping leaves out are NULL (GROUPING SETS): a value there
            // was put after the query, and would be read by nobody.
            func requireOnlyMembers(_ g: Int) throws {
                // Bit i of the mask is set when attribute i is not in the grouping.
                for attribute in 0..<attributeCount where masks[g] & (1 << attribute) != 0 && attributes[attribute].codes[row] >= 0
                    && attributes[attribute].codes[row] != emptyCodes[attribute] {
                    throw valueError("a\(attribute) holds a value, but grouping \(masks[g]) (\(groupings[g].joined(separator: "*"))) leaves \(profile.sensitive[attribute].column) out, "
                                     + "so the query's row has NULL there: the result was changed after the query ran",
                                     field: "a\(attribute)")
                }
            }
            if let grid, cell.codes[row] >= 0, cell.levels[Int(cell.codes[row])].hasPrefix("grid") {
                // The query's grid rows have no decision: one there was written after it ran,
                // and read by nobody.
                if decision.codes[row] >= 0 {
                    throw valueError("a score grid row has the decision \"\(MessageQuote.clipped(decision.levels[Int(decision.codes[row])]))\", where the query leaves NULL: the result was changed after the query ran",
                                     field: "decision")
                }
                let mask = grouping[row]
                guard let g = groupingIndex(mask) else { throw groupingError(mask) }
                try requireOnlyMembers(g)
                let key: [String?] = groupings[g].map { index[$0]! }.map { attribute in
                    let code = attributes[attribute].codes[row]
                    return code < 0 ? nil : attributes[attribute].levels[Int(code)]
                }
                try histograms[g].add(cell: cell.levels[Int(cell.codes[row])], key: key, values: gridValues.map { $0[row] }, grid: grid,
                                      weighted: profile.data.weight != nil, labelled: profile.data.label != nil, fail: fail) { problem, position in
                    valueError(problem, field: gridColumns[position])
                }
                continue
            }
            guard decision.codes[row] >= 0, let d = decisionIndex[decision.levels[Int(decision.codes[row])]] else {
                let name = decision.codes[row] >= 0 ? decision.levels[Int(decision.codes[row])] : ""
                throw valueError("decision \"\(MessageQuote.clipped(name))\" is not one of the profile's (\(profile.decisions.map(\.name).joined(separator: ", "))): the query was made for another profile",
                           field: "decision")
            }
            let mask = grouping[row]
            guard let g = groupingIndex(mask) else { throw groupingError(mask) }
            try requireOnlyMembers(g)
            guard cell.codes[row] >= 0 else { throw valueError("the cell is empty", field: "cell") }
            let name = cell.levels[Int(cell.codes[row])]
            let values = sums.map { $0[row] }
            if ["invalid_number", "invalid_label", "invalid_prediction", "invalid_consent", "invalid_weight",
                "invalid_indicator", "several_indicators"].contains(name) {
                if ["invalid_indicator", "several_indicators"].contains(name), !profile.sensitive.contains(where: { $0.oneHot != nil }) {
                    throw valueError("cell \(name), but the profile has no one-hot attribute: the query was made for another profile", field: "cell")
                }
                // Counted over one grouping (every grouping holds every row), said after the
                // read; their sums may be NULL (a weight that is not a number) and are not read.
                let rows = try StatisticsPart.count(values[0], what: "rows") { valueError($0, field: "rows") }
                if g == 0 { try StatisticsPart.add(rows, to: &invalid[name, default: [:]][profile.decisions[d].name, default: 0], fail: fail) }
                continue
            }
            for (column, value) in zip(["rows", "weight", "squared_weight", "scored_weight", "score_sum"], values) where !value.isFinite {
                // A sum is not finite when a term is not: a score or weight of ±inf or NaN.
                let term = column == "score_sum" ? "a score" : column == "rows" ? "the count" : "a weight"
                throw valueError("\(column) is \(value.isNaN ? "empty or not a number" : "\(value)"), expected a finite number: \(term) in these rows is not finite, or their sum leaves a double's range (the audit of the rows names the first)",
                           field: column)
            }
            let rows = try StatisticsPart.count(values[0], what: "rows") { valueError($0, field: "rows") }
            if name == "no_consent" {
                guard profile.data.consent != nil else { throw valueError("cell no_consent, but the profile has no data.consent", field: "cell") }
                if g == 0 { try StatisticsPart.add(rows, to: &withoutConsent[d], fail: fail) }
                continue
            }
            guard low[row].isNaN == high[row].isNaN, low[row].isNaN || low[row] <= high[row] else {
                throw valueError("min_score \(low[row]) and max_score \(high[row]) are not a range: both empty, or min_score ≤ max_score",
                           field: low[row].isNaN ? "max_score" : "min_score")
            }
            if low[row].isFinite && high[row].isFinite {
                let range = scores.map { ScoreRange(min: Swift.min($0.min, low[row]), max: Swift.max($0.max, high[row])) }
                // The lines of the lowest and highest score, for a range refused after the read.
                if scores.map({ low[row] < $0.min }) ?? true { scoreRows.min = row }
                if scores.map({ high[row] > $0.max }) ?? true { scoreRows.max = row }
                scores = range ?? ScoreRange(min: low[row], max: high[row])
            }
            let members = groupings[g].map { index[$0]! }
            let key: [String?] = members.map { attribute in
                let code = attributes[attribute].codes[row]
                return code < 0 ? nil : attributes[attribute].levels[Int(code)]
            }
            if ["tp", "fp", "tn", "fn"].contains(name) {
                // The row's own numbers, checked where they are (validate(file:) checks each
                // group's after the rows are summed, where no line is left to name).
                let range = low[row].isFinite && high[row].isFinite ? ScoreRange(min: low[row], max: high[row]) : nil
                try GroupingPart.checkSums(values, count: rows, weighted: profile.data.weight != nil, scores: range) { problem, position in
                    valueError("decision \(profile.decisions[d].name), \(groupings[g].joined(separator: "*")), group \(HistogramAccumulator.shown(key)): \(name) \(problem)",
                         field: ["rows", "weight", "squared_weight", "scored_weight", "score_sum"][position])
                }
            }
            let grew = try accumulators[d][g].add(cell: name, key: key, values: values, fail: fail)
            if grew, members.count == 1, accumulators[d][g].levels[0].count >= profile.limits.maxGroups {
                // Stopped at the first level past the limit, before reading the rest.
                try accumulators[d][g].checkGroupCount(attributes: groupings[g], policies: profile.missingPolicies(for: groupings[g]),
                                                       maxGroups: profile.limits.maxGroups,
                                                       decision: profile.decisions[d].name,
                                                       at: SourceLocation(file: path, line: line(row), column: positions["a\(members[0])"],
                                                                          field: "a\(members[0])"))
            }
            try StatisticsPart.add(rows, to: &rowsByGrouping[d][g], fail: fail)
        }
        if let rows = invalid["invalid_number"]?.values.max() {
            // The query marks the rows; which of the number columns it was, the audit of the rows says.
            let named = PushdownQuery.numberColumns(profile)
            throw FairleadError(.invalidData,
                                "\(rows) row\(rows == 1 ? "" : "s") the query read hold\(rows == 1 ? "s" : "") a value in a number column (\(named.map { "\"\($0)\"" }.joined(separator: ", "))) that is not a number as a file's rows are read: expected digits with an optional sign, fraction and exponent, or inf; not hex (0x1p-1), nan or a type suffix (1d), which the database would read; the audit of the rows names the first",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let consent = profile.data.consent, let rows = invalid["invalid_consent"]?.values.max() {
            throw FairleadError(.invalidData,
                                "the consent column \"\(consent.column)\" holds \(rows) invalid value\(rows == 1 ? "" : "s") in the rows the query read: expected true/false, yes/no, 1/0, blank, or purposes separated by ';' or '|' (letters, digits, _, -, ., :); the audit of the rows names the first",
                                at: SourceLocation(file: path, field: "cell"))
        }
        let oneHot = profile.sensitive.filter { $0.oneHot != nil }
        func indicatorList() -> String {
            oneHot.map { attribute in
                "\(attribute.column) (\((attribute.oneHot ?? []).map(\.column).joined(separator: ", ")))"
            }.joined(separator: "; ")
        }
        if let rows = invalid["several_indicators"]?.values.max() {
            throw FairleadError(.invalidData,
                                "\(rows) row\(rows == 1 ? "" : "s") the query read \(rows == 1 ? "has" : "have") two or more indicators at 1 of one one-hot attribute, \(indicatorList()): a one-hot attribute takes one group per row, and such a row belongs to none; the audit of the rows names the first",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let rows = invalid["invalid_indicator"]?.values.max() {
            throw FairleadError(.invalidData,
                                "an indicator of a one-hot attribute, \(indicatorList()), holds a value other than 0/1 or true/false in \(rows) row\(rows == 1 ? "" : "s") the query read; the audit of the rows names the first",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let rows = invalid["invalid_weight"]?.values.max() {
            throw FairleadError(.invalidData,
                                "the weight column \(profile.data.weight ?? "") holds a weight that is missing, negative, not a number or above \(AuditColumns.largestWeight) in \(rows) row\(rows == 1 ? "" : "s"); every row needs a weight from 0 to \(AuditColumns.largestWeight) (the audit of the rows names the first)",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let rows = invalid["invalid_label"]?.values.max() {
            throw FairleadError(.invalidData,
                                "the label column \(profile.data.label ?? "") holds values other than 0/1 or true/false in \(rows) row\(rows == 1 ? "" : "s"); name the positive values with data.label.positive",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let rows = histograms.first?.invalidLabels, rows > 0 {
            throw FairleadError(.invalidData,
                                "the label column \(profile.data.label ?? "") holds values other than 0/1 or true/false in \(rows) row\(rows == 1 ? "" : "s"); name the positive values with data.label.positive",
                                at: SourceLocation(file: path, field: "cell"))
        }
        // The line of the lowest score (below the range) or of the highest (above it).
        func scoreLocation(below: Bool) -> SourceLocation {
            let field = below ? "min_score" : "max_score"
            return SourceLocation(file: path, line: line(below ? scoreRows.min : scoreRows.max), column: positions[field], field: field)
        }
        if let grid, let scores, scores.min < grid.lower || scores.max > grid.upper {
            throw FairleadError(.invalidData,
                                "scores run \(scores.min)–\(scores.max), outside the score grid's range \(grid.lower)–\(grid.upper); declare data.score_range",
                                at: scoreLocation(below: scores.min < grid.lower))
        }
        if let (decision, rows) = invalid["invalid_prediction"]?.first {
            throw FairleadError(.invalidData,
                                "the prediction column of decision \(decision) holds values other than 0/1 or true/false in \(rows) row\(rows == 1 ? "" : "s")",
                                at: SourceLocation(file: path, field: "cell"))
        }
        if let range = profile.data.scoreRange, let scores, scores.min < range.lowerBound || scores.max > range.upperBound {
            throw FairleadError(.invalidData,
                                "scores run \(scores.min)–\(scores.max), outside the declared data.score_range \(range.lowerBound)–\(range.upperBound)",
                                at: scoreLocation(below: scores.min < range.lowerBound))
        }
        // Every decision counts every row once under every attribute and intersection: a
        // result cut short at a line, or filtered, misses some (it was said as "the groups
        // and exclusions hold 5000 rows, but 0 were read").
        let counted = rowsByGrouping.enumerated().flatMap { d, counts in counts.enumerated().map { (d: d, g: $0, rows: $1) } }
        if let most = counted.max(by: { $0.rows < $1.rows }), let least = counted.min(by: { $0.rows < $1.rows }), most.rows != least.rows {
            func place(_ count: (d: Int, g: Int, rows: Int)) -> String {
                "decision \(profile.decisions[count.d].name) under \(groupings[count.g].joined(separator: "*"))"
            }
            throw FairleadError(.invalidData,
                                "the result counts \(most.rows) rows for \(place(most)), but \(least.rows) for \(place(least)): "
                                + "each decision counts every row once under every attribute, so rows of the result are missing (cut short, or filtered) or were changed; save the whole result of the query again",
                                at: SourceLocation(file: path))
        }
        func failInResult(_ message: String) -> FairleadError { FairleadError(.invalidData, message, at: SourceLocation(file: path)) }
        let rowsRead = rowsByGrouping.first?.first ?? 0
        let excludedWithoutConsent = withoutConsent.first ?? 0
        // Levels per attribute, from its own grouping (every profile attribute is one).
        var levels: [[String]] = []
        var hasMissing: [Bool] = []
        for (position, attribute) in profile.sensitive.enumerated() {
            // Empty when the result has no row of the attribute (no rows at all).
            let own = accumulators.first?[position]
            levels.append(GroupingPart.union(Array(own?.levels.first ?? []), [], bins: attribute.bins?.edges))
            hasMissing.append(own?.hasMissing.first ?? false)
        }
        let fingerprint = digest.fingerprint
        let shard = ShardInfo(source: path, sha256: fingerprint.hex, bytes: fingerprint.bytes, rowsRead: rowsRead + excludedWithoutConsent,
                              contentSHA256: digest.contentSHA256, queryResult: true)
        var part = StatisticsPart(
            format: formatName, version: version(for: [shard]),
            profile: ProfileInfo(name: profile.name, statisticsSHA256: spec.sha256, spec: spec),
            data: [shard],
            labelled: profile.data.label != nil, scores: scores, decisions: [], histograms: nil,
            withoutConsent: profile.data.consent == nil ? nil : excludedWithoutConsent)
        for (d, decision) in profile.decisions.enumerated() {
            part.decisions.append(Decision(name: decision.name, groupings: try groupings.enumerated().map { g, members in
                let accumulator = accumulators[d][g]
                let positions = members.map { index[$0]! }
                let excludes = profile.missingPolicies(for: members).map { $0 == .exclude }
                var excluded = accumulator.excluded
                var groups: [[String]: [[Double]]] = [:]
                for (key, cells) in accumulator.groups {
                    if HistogramAccumulator.isExcluded(key, excludes: excludes) {
                        for cell in cells { try StatisticsPart.add(Int(cell[0]), to: &excluded.missingSensitive, fail: failInResult) }
                        continue
                    }
                    let values = key.map { $0 ?? MissingSensitivePolicy.unknownLabel }
                    groups[values] = groups[values].map { zip($0, cells).map { zip($0, $1).map { $0 + $1 } } } ?? cells
                }
                return GroupingPart(attributes: members, levels: positions.map { levels[$0] },
                                    hasMissing: positions.map { hasMissing[$0] }, excluded: excluded,
                                    groups: groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
                                        let cells = groups[key]!
                                        return GroupPart(group: key, tp: cells[0], fp: cells[1], tn: cells[2], fn: cells[3])
                                    })
            }))
        }
        if grid != nil {
            // A decision by threshold counts each group's rows with a score and a label, as
            // the grid does; one by a prediction column leaves out other rows.
            let byThreshold = profile.decisions.firstIndex { if case .threshold = $0.kind { true } else { false } }
            part.histograms = try groupings.enumerated().map { g, members in
                let decision = byThreshold.map { d in
                    (profile.decisions[d].name, accumulators[d][g].groups.mapValues { $0.reduce(0) { $0 + $1[0] } })
                }
                return try histograms[g].histogram(attributes: members, excludes: profile.missingPolicies(for: members).map { $0 == .exclude },
                                                   rowsRead: rowsRead, decision: decision, fail: failInResult)
            }
        }
        try part.validate(file: path, maxGroups: profile.limits.maxGroups)
        return part
    }
}

/// One grouping's score-grid rows of a query result, as they are read.
private struct HistogramAccumulator {
    /// Per group (nil: a missing value), per `[cell, bin]`: rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s.
    var groups: [[String?]: [[Double]: [Double]]] = [:]
    /// Ranked rows with a missing label, per cell.
    var missingLabel: [Double: Double] = [:]
    var invalidLabels = 0

    /// Adds one row of the result; a grid entry's numbers checked where they are
    /// (``StatisticsPart/ScoreHistogram/checkEntry(_:grid:weighted:labelled:fail:)``), and
    /// by `valueError` at the column of the number found wrong.
    mutating func add(cell: String, key: [String?], values: [Double], grid: ScoreGrid, weighted: Bool, labelled: Bool,
                      fail: (String) -> FairleadError, valueError: (String, Int) -> FairleadError) throws {
        // The entry by its cell, group, grid cell and bin, as far as they are numbers.
        let entry = "\(cell) row of group \(Self.shown(key)), grid cell \(StatisticsPart.shown(values[0])), bin \(StatisticsPart.shown(values[1]))"
        guard values.allSatisfy(\.isFinite) else {
            let columns = ["grid_cell", "calibration_bin", "rows", "weight", "positive_weight", "score_sum", "score_squared_sum", "positive_score_sum"]
            let empty = zip(columns, values).filter { !$0.1.isFinite }.map(\.0)
            throw fail("\(entry): the grid cell, bin, rows and sums must be numbers; \(empty.joined(separator: ", ")) \(empty.count == 1 ? "is" : "are") empty or not finite")
        }
        let rows = try StatisticsPart.count(values[2], what: "\(entry): rows", fail: fail)
        switch cell {
        case "grid":
            try StatisticsPart.ScoreHistogram.checkEntry(values, grid: grid, weighted: weighted, labelled: labelled) { problem, position in
                valueError("\(entry): \(problem)", position)
            }
            let position = [values[0], values[1]]
            var cells = groups[key] ?? [:]
            guard cells[position] == nil else { throw fail("\(entry) is listed twice") }
            cells[position] = Array(values[2...])
            groups[key] = cells
        case "grid_missing_label": missingLabel[values[0], default: 0] += values[2]
        case "grid_invalid_label": try StatisticsPart.add(rows, to: &invalidLabels, fail: fail)
        default: throw fail("cell \"\(MessageQuote.clipped(cell))\" is none of grid, grid_missing_label, grid_invalid_label")
        }
    }

    /// Whether a row of `key` is left out of its grouping: it misses the value of an
    /// attribute that excludes its missing values (`excludes`, one per attribute); a value
    /// missing only where the attribute keeps missing values is its `unknown` group.
    static func isExcluded(_ key: [String?], excludes: [Bool]) -> Bool {
        zip(key, excludes).contains { $0 == nil && $1 }
    }

    /// A group's key for a message: its values quoted and clipped, `(missing)` for NULL.
    static func shown(_ key: [String?]) -> String {
        "[" + key.map { $0.map { "\"\(MessageQuote.clipped($0))\"" } ?? "(missing)" }.joined(separator: ", ") + "]"
    }

    /// The histogram, with rows missing a value of an excluding attribute moved to the uncounted.
    ///
    /// Its rows without a score are the rows read less its rows: more rows on the grid
    /// than were read is refused here, naming a group with more grid rows than `decision`
    /// (one by threshold, when the profile has one) counts in it, when one has.
    func histogram(attributes: [String], excludes: [Bool], rowsRead: Int, decision: (name: String, rows: [[String?]: Double])?,
                   fail: (String) -> FairleadError) throws -> StatisticsPart.ScoreHistogram {
        let place = "the score grid's rows of \(attributes.joined(separator: "*"))"
        var gridRows = missingLabel.values.reduce(0, +)
        // The decision's groups too: a group whose grid rows were all cut is in no grid row.
        let keys = Set(groups.keys).union(decision?.rows.keys.map { $0 } ?? [])
        for key in keys.sorted(by: { $0.lexicographicallyPrecedes($1) { ($0 ?? "") < ($1 ?? "") } }) {
            let rows = groups[key]?.values.reduce(0) { $0 + $1[0] } ?? 0
            gridRows += rows
            if let decision, case let counted = decision.rows[key] ?? 0, rows != counted {
                // A decision by threshold counts the group's rows with a score and a label,
                // which are its grid cells' rows: fewer were cut or filtered from the result,
                // not rows without a score (the decision counts those apart).
                throw fail(rows > counted
                    ? "\(place): group \(Self.shown(key)) holds \(Int(rows)) rows in its grid cells, but decision \(decision.name) counts \(Int(counted)) rows in the group; a group's grid rows are its rows with a score"
                    : "\(place): group \(Self.shown(key)) holds \(Int(rows)) rows in its grid cells, but decision \(decision.name) counts \(Int(counted)) scored rows in the group; grid rows of the result are missing (cut short, or filtered) or were changed; save the whole result of the query again")
            }
        }
        guard gridRows <= Double(rowsRead) else {
            throw fail("\(place) hold \(Int(gridRows)) rows (grid and grid_missing_label cells), more than the \(rowsRead) rows the result's decisions count; every row read with a score is in one grid cell")
        }
        var uncounted = missingLabel
        var merged: [[String]: [[Double]: [Double]]] = [:]
        for (key, cells) in groups {
            if Self.isExcluded(key, excludes: excludes) {
                for (position, sums) in cells { uncounted[position[0], default: 0] += sums[0] }
                continue
            }
            let values = key.map { $0 ?? MissingSensitivePolicy.unknownLabel }
            var target = merged[values] ?? [:]
            for (position, sums) in cells {
                target[position] = target[position].map { zip($0, sums).map { $0 + $1 } } ?? sums
            }
            merged[values] = target
        }
        // Each count is a whole number below 2⁵³ (add(cell:…)); their sum may not be.
        var rows = 0
        for count in uncounted.values { try StatisticsPart.add(Int(count), to: &rows, fail: fail) }
        for cells in merged.values { for sums in cells.values { try StatisticsPart.add(Int(sums[0]), to: &rows, fail: fail) } }
        return StatisticsPart.ScoreHistogram(
            attributes: attributes, missingScore: rowsRead - rows,
            uncounted: uncounted.keys.sorted().map { [$0, uncounted[$0]!] },
            groups: merged.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
                let cells = merged[key]!
                return StatisticsPart.HistogramGroup(group: key, cells: cells.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { $0 + cells[$0]! })
            })
    }
}

/// One grouping's rows of a query result, as they are read.
private struct GroupingAccumulator {
    /// Per group (nil: a missing value), the cells TP, FP, TN, FN as `[rows, Σw, Σw², Σw scored, Σw·score]`.
    var groups: [[String?]: [[Double]]] = [:]
    var excluded = StatisticsPart.Excluded(missingScore: 0, missingPrediction: 0, missingLabel: 0, missingSensitive: 0)
    /// Per member attribute: the values seen, and whether a value was missing.
    var levels: [Set<String>] = []
    var hasMissing: [Bool] = []

    /// Adds one row of the result; returns whether it brought a level, or a missing
    /// value, not seen before.
    @discardableResult
    mutating func add(cell: String, key: [String?], values: [Double], fail: (String) -> FairleadError) throws -> Bool {
        if levels.isEmpty {
            levels = key.map { _ in [] }
            hasMissing = key.map { _ in false }
        }
        var grew = false
        for (position, value) in key.enumerated() {
            guard let value else {
                grew = grew || !hasMissing[position]
                hasMissing[position] = true
                continue
            }
            let (inserted, seen) = levels[position].insert(value)
            grew = grew || inserted
            if !inserted, MessageQuote.areTwoSpellings(seen, value) {
                throw fail("an attribute holds one text in two Unicode spellings, \"\(MessageQuote.spelled(seen))\" and \"\(MessageQuote.spelled(value))\": the database keeps them apart as two groups, an audit would merge them; normalize the column (NFC) first")
            }
        }
        let rows = try StatisticsPart.count(values[0], what: "rows", fail: fail)
        switch cell {
        case "missing_score": excluded.missingScore += rows
        case "missing_prediction": excluded.missingPrediction += rows
        case "missing_label": excluded.missingLabel += rows
        case "tp", "fp", "tn", "fn":
            let position = ["tp", "fp", "tn", "fn"].firstIndex(of: cell)!
            var cells = groups[key] ?? Array(repeating: [0, 0, 0, 0, 0], count: 4)
            guard cells[position][0] == 0 else { throw fail("group \(HistogramAccumulator.shown(key)) has cell \(MessageQuote.clipped(cell)) twice") }
            cells[position] = values
            groups[key] = cells
        default:
            throw fail("cell \"\(MessageQuote.clipped(cell))\" is none of tp, fp, tn, fn, missing_score, missing_prediction, missing_label, no_consent, invalid_number, invalid_label, invalid_prediction, invalid_consent, invalid_weight, invalid_indicator, several_indicators")
        }
        return grew
    }

    /// Refuses the levels seen so far when they make more groups than `maxGroups`, as
    /// ``StatisticsPart/validate(file:maxGroups:)`` would refuse them after the read.
    func checkGroupCount(attributes: [String], policies: [MissingSensitivePolicy], maxGroups: Int,
                         decision: String, at location: SourceLocation) throws {
        do {
            try Grouping.checkGroupCount(attributes: attributes, levels: levels.map { Array($0) }, hasMissing: hasMissing,
                                         missingPolicies: policies, maxGroups: maxGroups)
        } catch var error as FairleadError {
            error.message = "decision \(decision), \(attributes.joined(separator: "*")): " + error.message
            error.location = location
            throw error
        }
    }
}
