import FairleadCore
import Foundation

/// The re-identification risk of the audit data: what `fairlead privacy` writes, and the
/// `reidentification` section of a report whose profile declares
/// `privacy.quasi_identifiers` (docs/privacy.md, "Re-identification risk").
///
/// Sizes and counts only: no quasi-identifier value, so the section itself discloses
/// nobody (a unique record's values would). Per quasi-identifier, its number of distinct
/// values shows which columns make records unique.
///
///     let section = try ReidentificationReport.make(table: table, quasiIdentifiers: ["age", "zip3"],
///                                                   sensitive: ["ethnicity"], k: 5)
///     section.kAnonymity        // the smallest class
///     section.prosecutor.highest
public struct ReidentificationReport: Codable, Sendable, Equatable {
    /// The chosen k when none is given.
    public static let defaultK = 5

    /// One quasi-identifier column.
    public struct QuasiIdentifier: Codable, Sendable, Equatable {
        public var name: String
        /// Distinct values, missing counted as one.
        public var distinctValues: Int
        /// Rows where it is missing (a value of its own in the grouping).
        public var missing: Int
    }

    /// How many classes have one size.
    public struct ClassSize: Codable, Sendable, Equatable {
        public var size: Int
        public var classes: Int
    }

    /// ARX's summary of one attacker model.
    public struct Risk: Codable, Sendable, Equatable {
        /// 1 ÷ the smallest class.
        public var highest: Double
        /// The share of records re-identified on average (ARX's "success rate").
        public var average: Double
        /// The share of records whose risk exceeds 1/k (their class is smaller than k).
        public var recordsAtRisk: Double
    }

    /// l-diversity and t-closeness of one sensitive attribute (pycanon's definitions).
    public struct Sensitive: Codable, Sendable, Equatable {
        public var name: String
        /// `categorical` (t-closeness by the equal distance) or `numerical` (the ordered
        /// distance); `empty` when every value is missing (a note says its measures
        /// measure nothing).
        public var type: String
        /// Distinct values in the data, missing counted as one.
        public var distinctValues: Int
        /// Distinct l-diversity: the fewest distinct values in a class.
        public var lDiversity: Int
        /// Entropy l-diversity, exp(the lowest entropy of a class); pycanon reports its integer part.
        public var entropyLDiversity: Double
        /// t-closeness: the largest distance of a class's distribution from the data's.
        public var tCloseness: Double
    }

    /// The quasi-identifiers, in the order given.
    public var quasiIdentifiers: [QuasiIdentifier]
    /// The rows grouped.
    public var rows: Int
    /// The number of equivalence classes.
    public var equivalenceClasses: Int
    /// k of k-anonymity: the size of the smallest class.
    public var kAnonymity: Int
    /// Rows alone in their class, and their share of the rows.
    public var uniqueRecords: Int
    public var uniqueShare: Double
    /// The chosen k (default 5): classes smaller than it put their rows at risk.
    public var k: Int
    /// Rows in classes smaller than `k`, their share, and the number of such classes.
    public var recordsBelowK: Int
    public var recordsBelowKShare: Double
    public var classesBelowK: Int
    /// How many classes have each size, smallest first.
    public var classSizes: [ClassSize]
    /// ARX's prosecutor risk (the attacker knows the person is in the data).
    public var prosecutor: Risk
    /// ARX's journalist risk; `journalistPopulation` says against what population.
    public var journalist: Risk
    /// `sample`: without a population table the sample is taken as the population (as ARX
    /// does), and the journalist risk equals the prosecutor risk.
    public var journalistPopulation: String
    /// ARX's marketer risk: the share of records re-identified on average.
    public var marketer: Double
    /// The sensitive attributes, in the order given.
    public var sensitive: [Sensitive]
    /// How values were compared, and the assumptions the measures rest on.
    public var notes: [String]

    public static let notesText = [
        "quasi-identifier values are compared as read; a missing value is a value of its own",
        "journalist risk: no population table, so the sample is taken as the population (as ARX does); it equals the prosecutor risk",
        "no quasi-identifier value is shown: only sizes and counts",
    ]

    /// Checks the names before any data is read: at least one quasi-identifier, no name
    /// twice, no column both quasi-identifier and sensitive, k ≥ 1.
    ///
    /// - Throws: `FairleadError(.usage)` naming the column or the value.
    public static func validate(quasiIdentifiers: [String], sensitive: [String], k: Int) throws {
        guard !quasiIdentifiers.isEmpty else {
            throw FairleadError(.usage, "no quasi-identifier given: name the columns an attacker could know (age, zip3, gender)")
        }
        var seen = Set<String>()
        for name in quasiIdentifiers where !seen.insert(name).inserted {
            throw FairleadError(.usage, "quasi-identifier \"\(MessageQuote.clipped(name))\" is named twice")
        }
        var seenSensitive = Set<String>()
        for name in sensitive {
            if seen.contains(name) {
                throw FairleadError(.usage, "column \"\(MessageQuote.clipped(name))\" is both a quasi-identifier and a sensitive attribute: a column is one or the other")
            }
            if !seenSensitive.insert(name).inserted {
                throw FairleadError(.usage, "sensitive attribute \"\(MessageQuote.clipped(name))\" is named twice")
            }
        }
        guard k >= 1 else { throw FairleadError(.usage, "k must be at least 1, found \(k)") }
    }

    /// The column requests for the check: quasi-identifiers as text (values as read),
    /// sensitive attributes with their types inferred (numeric ones are numerical).
    public static func columnRequests(quasiIdentifiers: [String], sensitive: [String]) -> [ColumnRequest] {
        quasiIdentifiers.map { ColumnRequest($0, type: .categorical) } + sensitive.map { ColumnRequest($0) }
    }

    /// The measures over `table`, which holds the named columns (quasi-identifiers read
    /// as categorical).
    ///
    /// - Throws: `FairleadError(.invalidData)` when the table has no rows (nothing to
    ///   judge), or `.usage` for names ``validate(quasiIdentifiers:sensitive:k:)`` refuses.
    public static func make(table: Table, quasiIdentifiers: [String], sensitive: [String], k: Int,
                            source: String = "data") throws -> ReidentificationReport {
        try validate(quasiIdentifiers: quasiIdentifiers, sensitive: sensitive, k: k)
        guard table.rowCount > 0 else {
            throw FairleadError(.invalidData, "the data has no rows: there is nothing to judge the re-identification risk of",
                                at: SourceLocation(file: source))
        }
        var quasiCodes: [[Int32]] = []
        var described: [QuasiIdentifier] = []
        for name in quasiIdentifiers {
            let column = try table.requireColumn(named: name)
            switch column.storage {
            case .categorical(let values): quasiCodes.append(values.codes)
            case .numeric, .boolean:
                // Read typed by a caller: equal numbers are one value.
                quasiCodes.append(SensitiveValueCodes(column: column).codes)
            }
            let missing = column.missingCount
            described.append(QuasiIdentifier(name: name, distinctValues: distinctCount(column), missing: missing))
        }
        let classes = EquivalenceClasses(codes: quasiCodes)
        let sensitiveCodes = try sensitive.map { name in (name: name, values: SensitiveValueCodes(column: try table.requireColumn(named: name))) }
        // A column of missing values only is typed by nothing in it: it read "numerical",
        // with an l-diversity of 1 and a t-closeness of 0 that measure nothing.
        let empty = Set(try sensitive.filter { try table.requireColumn(named: $0).missingCount == table.rowCount })
        let emptyNotes = sensitive.filter(empty.contains).map {
            "\(MessageQuote.clipped($0)): every value is missing, so its l-diversity and t-closeness measure nothing (missing counts as one value)"
        }
        let risk = ReidentificationRisk(classes: classes, riskThreshold: k, sensitive: sensitiveCodes)
        func summary(_ value: ReidentificationRisk.RiskSummary) -> Risk {
            Risk(highest: value.highest, average: value.average, recordsAtRisk: value.recordsAtRisk)
        }
        return ReidentificationReport(
            quasiIdentifiers: described, rows: risk.rows, equivalenceClasses: risk.classCount, kAnonymity: risk.kAnonymity,
            uniqueRecords: risk.uniqueRecords, uniqueShare: risk.uniqueShare, k: k,
            recordsBelowK: risk.recordsBelowThreshold, recordsBelowKShare: Double(risk.recordsBelowThreshold) / Double(risk.rows),
            classesBelowK: risk.classesBelowThreshold,
            classSizes: risk.classSizes.map { ClassSize(size: $0.size, classes: $0.classes) },
            prosecutor: summary(risk.prosecutor), journalist: summary(risk.journalist), journalistPopulation: "sample",
            marketer: risk.marketer,
            sensitive: risk.sensitive.map {
                Sensitive(name: $0.name, type: empty.contains($0.name) ? "empty" : $0.isNumerical ? "numerical" : "categorical",
                          distinctValues: $0.distinctValues, lDiversity: $0.distinctL, entropyLDiversity: $0.entropyL, tCloseness: $0.tCloseness)
            },
            notes: notesText + emptyNotes)
    }

    private static func distinctCount(_ column: Column) -> Int {
        switch column.storage {
        case .categorical(let values): return values.levels.count + (values.missingCount > 0 ? 1 : 0)
        case .numeric, .boolean: return SensitiveValueCodes(column: column).valueCount
        }
    }
}
