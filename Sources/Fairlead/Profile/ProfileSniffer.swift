import FairleadCore
import Foundation

/// Reads a data file and drafts a starter profile that validates and runs: which column
/// is the id, the score (and the other candidates), the label (and which value is the
/// positive outcome), which look like sensitive attributes (by name and values, numeric
/// ones such as age cut into bins), the score's range, and a threshold that selects a
/// stated share of the leads. `fairlead init` writes the draft as commented YAML.
///
///     let draft = try ProfileSniffer().draft(dataPath: "leads.csv")
///     draft.score                   // "p_xgb"; draft.otherScores: ["p_logistic", "p_lgbm"]
///     draft.threshold?.text         // "0.62": selects about 20% of the rows
///
/// The guesses, in order:
/// - **id**: a text column with a distinct value per row, named `id` or `…id`.
/// - **label**: a column with exactly two distinct values, named like an outcome
///   (`converted`, `won`, `label`, `y`, `target`, `outcome`, `y_true`, …) or holding an
///   outcome word (`won`, `yes`, `true`, …). 0/1 and true/false columns use the short
///   form; other values name the positive one (`positive: [won]`).
/// - **score**: numeric columns with at least three distinct values, not an id or row
///   number, named like a score (`score`, `prob`, `proba`, `p_…`, `pred`, `propensity`,
///   `likelihood`) or holding many distinct values within [0, 1]; ranked by name, then
///   values within [0, 1], then the number of distinct values.
/// - **sensitive**: columns named like a protected attribute (`sex`, `race`, `age`, …):
///   text ones with at most 50 values, numeric ones with at most 12 as they are, and
///   numeric ones with more cut into bins at round edges (decades for an age).
public struct ProfileSniffer: Sendable {
    /// The share of rows the drafted threshold aims to select.
    public static let targetShare = 0.2
    /// An end bin of a numeric sensitive column with fewer rows is merged into its
    /// neighbour (the default `min_group_size`, under which a group is not judged).
    static let minimumBinRows = 30

    /// Name fragments of attributes protected by anti-discrimination law in many places.
    /// Stems that start a sensitive attribute's word (`ethnic` in `ethnicity`, `disab` in
    /// `disability_status`).
    static let sensitiveNames = ["gender", "ethnic", "religio", "disab", "marital",
                                 "nationality", "national_origin", "pregnan", "veteran", "orientation", "citizenship"]
    /// Short words that name a sensitive attribute only as a whole word, or with a suffix
    /// that groups it (``groupingSuffixes``): `age`, `age_band`, `AgeGroup`, `sexes` — not
    /// `agency`, `agent_calls`, `sexton` or `racetrack`.
    static let sensitiveWords = ["sex", "age", "race"]
    static let groupingSuffixes = ["", "s", "band", "bands", "group", "groups", "bucket", "buckets", "bracket", "brackets",
                                   "range", "ranges", "bin", "bins", "class", "category", "cat"]
    static let proxyNames = ["postal", "zip", "postcode", "neighbourhood", "neighborhood", "first_name", "surname", "last_name"]
    static let scoreNames = ["score", "prob", "proba", "p_", "pred", "propensity", "likelihood"]
    static let labelNames = ["converted", "conversion", "label", "target", "outcome", "won", "is_won", "y", "y_true",
                             "closed_won", "class", "result"]
    /// Values that name a positive outcome, lowercased.
    static let positiveWords = ["won", "win", "yes", "y", "true", "t", "1", "converted", "positive", "pos", "success",
                                "closed_won", "closed won", "closed-won", "good", "bought", "purchased"]
    /// The positive words that name a sales outcome and nothing else: enough to take a
    /// column not named like an outcome as the label (`stage: won/lost`), where `yes`/`no`
    /// could be any feature (`has_email`).
    static let outcomeWords = ["won", "converted", "closed_won", "closed won", "closed-won", "bought", "purchased"]
    static let identifierNames = ["id", "row", "index", "idx", "uuid", "key", "rownum", "row_number"]

    public init() {}

    /// Reads every column of the file at `dataPath` and drafts a profile for it.
    public func draft(dataPath: String, threads: Int = 1, limits: Limits = Limits()) throws -> Draft {
        var options = CSVOptions()
        options.threads = threads
        options.limits = limits
        let table = try CSVReader.read(path: dataPath, options: options)
        return draft(table: table, dataPath: dataPath)
    }

    /// Drafts a profile for `table`, read from `dataPath`.
    public func draft(table: Table, dataPath: String) -> Draft {
        var draft = Draft(dataPath: dataPath, rowCount: table.rowCount)
        var roles: Set<String> = []
        draft.columns = table.columns.map { ($0.name, $0.type, Self.distinctCount($0)) }

        draft.id = table.columns.first { column in
            guard case .categorical(let values) = column.storage else { return false }
            let name = column.name.lowercased()
            return values.levels.count == table.rowCount && values.missingCount == 0
                && (name == "id" || name.hasSuffix("id"))
        }?.name
        if let id = draft.id { roles.insert(id) }

        if let label = Self.labelCandidate(table.columns) {
            draft.label = label.column
            draft.labelPositive = label.positive
            draft.labelValues = label.values
            draft.labelPositiveIsGuess = label.isGuess
            roles.insert(label.column)
        }

        let scores = Self.rankedScoreCandidates(table.columns.filter { !roles.contains($0.name) }, rowCount: table.rowCount)
        if let best = scores.first {
            draft.score = best.name
            draft.otherScores = Array(scores.dropFirst().map(\.name))
            roles.insert(best.name)
            let finite = best.values.filter(\.isFinite)
            if let low = finite.min(), let high = finite.max() {
                draft.scoreRange = Self.scoreRange(low: low, high: high)
            }
            draft.threshold = Self.threshold(selecting: Self.targetShare, of: finite)
        }

        for column in table.columns where !roles.contains(column.name) {
            let name = column.name.lowercased()
            if Self.looksSensitive(column.name) {
                switch column.storage {
                case .categorical(let values) where values.levels.count <= 50:
                    draft.sensitive.append(column.name)
                case .boolean:
                    draft.sensitive.append(column.name)
                case .numeric(let values):
                    let distinct = Set(values.values.filter(\.isFinite)).count
                    // A handful of values are groups as they are; more (ages 25–35 are
                    // 11 one-year groups that noise alone makes unequal) are binned.
                    if distinct <= 6 {
                        if distinct > 0 { draft.sensitive.append(column.name) }
                    } else if let bins = Self.bins(for: values.values) {
                        draft.sensitive.append(column.name)
                        draft.sensitiveBins[column.name] = bins
                    }
                default:
                    break
                }
            } else if case .categorical = column.storage, Self.proxyNames.contains(where: name.contains) {
                draft.possibleProxies.append(column.name)
            }
        }
        draft.oneHotGroups = Self.oneHotGroups(table.columns.filter { draft.sensitive.contains($0.name) })
        return draft
    }

    /// Groups of 0/1 columns whose names share a prefix up to a last `_`, `.` or `-`
    /// (`race_white`, `race_black`) and that hold at most one 1 per row: one attribute
    /// one-hot encoded, which an audit of each column alone does not compare group with group.
    static func oneHotGroups(_ columns: [Column]) -> [[String]] {
        var byPrefix: [String: [Column]] = [:]
        var order: [String] = []
        for column in columns {
            guard case .boolean = column.storage,
                  let cut = column.name.lastIndex(where: { $0 == "_" || $0 == "." || $0 == "-" }), cut > column.name.startIndex else { continue }
            let prefix = String(column.name[..<cut])
            if byPrefix[prefix] == nil { order.append(prefix) }
            byPrefix[prefix, default: []].append(column)
        }
        return order.compactMap { prefix in
            let members = byPrefix[prefix]!
            guard members.count >= 2 else { return nil }
            let flags: [BooleanColumn] = members.compactMap { if case .boolean(let flags) = $0.storage { flags } else { nil } }
            guard let rows = flags.first?.values.count else { return nil }
            for row in 0..<rows where flags.reduce(0, { $0 + ($1.isMissing[row] || !$1.values[row] ? 0 : 1) }) > 1 { return nil }
            return members.map(\.name)
        }
    }

    /// A one-hot group of ``oneHotGroups(_:)`` as one attribute: named by the columns'
    /// prefix (`race`), each group by its column's suffix (`race_black` is `black`); `nil`
    /// when the prefix is itself one of `columns` (the file's header), which the attribute's
    /// name may not be, or a suffix is empty.
    static func oneHotAttribute(_ group: [String], columns: [String]) -> (name: String, groups: [(group: String, column: String)])? {
        guard let first = group.first,
              let cut = first.lastIndex(where: { $0 == "_" || $0 == "." || $0 == "-" }) else { return nil }
        let name = String(first[..<cut])
        guard !columns.contains(name) else { return nil }
        var groups: [(group: String, column: String)] = []
        for column in group {
            guard column.hasPrefix(name), column.count > name.count + 1 else { return nil }
            groups.append((String(column.dropFirst(name.count + 1)), column))
        }
        return (name, groups)
    }

    // MARK: - Names

    /// Whether a column's name looks like a protected attribute's: a word of it starts
    /// with one of ``sensitiveNames`` (`gender`, `Ethnicity`), or holds one of
    /// ``sensitiveWords`` as a word of its own (`age_band`, `applicant_race`; not
    /// `page_views`, `agency` or `racetrack`). What `init` drafts as sensitive, and what `explain` withholds
    /// from reps when no sensitive column declares it
    /// (``ReasonCodes/Withholding/undeclaredSensitive``).
    public static func looksSensitive(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if sensitiveNames.contains(where: { Self.name(lowered, hasWordStarting: $0) }) { return true }
        // A word is a run of letters: `age_band` is `age` and `band`, `ageBand` is `ageband`.
        let words = lowered.split { !$0.isLetter }
        return words.contains { word in
            sensitiveWords.contains { stem in
                word.hasPrefix(stem) && groupingSuffixes.contains(String(word.dropFirst(stem.count)))
            }
        }
    }

    /// Whether `fragment` starts a word of `name`: at its start or after a character that
    /// is not a letter (`age` in `age_band` and `applicant_age`, not in `page_views`).
    static func name(_ name: String, hasWordStarting fragment: String) -> Bool {
        var searchStart = name.startIndex
        while let found = name.range(of: fragment, range: searchStart..<name.endIndex) {
            if found.lowerBound == name.startIndex || !name[name.index(before: found.lowerBound)].isLetter {
                return true
            }
            searchStart = name.index(after: found.lowerBound)
        }
        return false
    }

    /// The words of a name: `y_true` → `["y", "true"]`, `isWon` stays one word.
    static func words(_ name: String) -> [String] {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// An id or row number by name (`row`, `index`, `lead_id`).
    static func isIdentifierName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return identifierNames.contains(lowered) || words(lowered).contains { identifierNames.contains($0) }
            || lowered.hasSuffix("_id") || lowered.hasPrefix("unnamed")
    }

    // MARK: - Label

    struct LabelCandidate {
        var column: String
        /// `nil` for a 0/1 or true/false column (the short form).
        var positive: [String]?
        var values: [String]
        var isGuess: Bool
    }

    /// The first two-valued column named like an outcome, else the first two-valued one
    /// holding a sales outcome word (``outcomeWords``); never one named like a sensitive
    /// attribute.
    static func labelCandidate(_ columns: [Column]) -> LabelCandidate? {
        var byValue: LabelCandidate?
        for column in columns {
            let name = column.name.lowercased()
            if looksSensitive(column.name) { continue }
            let named = labelNames.contains(name) || words(name).contains { labelNames.contains($0) }
            switch column.storage {
            case .boolean(let flags):
                let seen = Set(flags.values.indices.filter { !flags.isMissing[$0] }.map { flags.values[$0] })
                if named, seen.count == 2 { return LabelCandidate(column: column.name, positive: nil, values: ["0", "1"], isGuess: false) }
            case .numeric(let numbers):
                let seen = Set(numbers.values.filter(\.isFinite)).sorted()
                guard named, seen.count == 2 else { continue }
                if seen == [0, 1] { return LabelCandidate(column: column.name, positive: nil, values: ["0", "1"], isGuess: false) }
                let values = seen.map(AuditProfile.compactNumber)
                return LabelCandidate(column: column.name, positive: [values[1]], values: values, isGuess: true)
            case .categorical(let categories):
                guard categories.levels.count == 2 else { continue }
                let values = categories.levels.sorted()
                let recognised = values.filter { positiveWords.contains($0.lowercased()) }
                if recognised.count == 1 {
                    let candidate = LabelCandidate(column: column.name, positive: recognised, values: values, isGuess: false)
                    if named { return candidate }
                    if byValue == nil, outcomeWords.contains(recognised[0].lowercased()) { byValue = candidate }
                } else if named {
                    return LabelCandidate(column: column.name, positive: [values[1]], values: values, isGuess: true)
                }
            }
        }
        return byValue
    }

    // MARK: - Sensitive bins

    /// Round edges for a numeric sensitive column: multiples of a round unit (10 for ages
    /// 18–80) above the lowest value and up to the highest, end bins under
    /// ``minimumBinRows`` rows merged inward; `nil` when no edge is left.
    static func bins(for values: [Double]) -> SensitiveBins? {
        let finite = values.filter(\.isFinite).sorted()
        guard let low = finite.first, let high = finite.last, high > low else { return nil }
        // The round unit (1, 2 or 5 times a power of ten) nearest above a seventh of the
        // range: decades for ages 18–80, two years for ages 25–35.
        let target = (high - low) / 7
        let exponent = Int(log10(target).rounded(.down))
        let power = pow(10, Double(exponent))
        let step = [1.0, 2, 5, 10].first { $0 * power >= target } ?? 10
        let unit = step * power
        guard abs(low / unit) < 1e12, abs(high / unit) < 1e12 else { return nil }
        var edges: [Double] = []
        var multiple = Int((low / unit).rounded(.down)) + 1
        // Decimal text, so that 0.1 steps give 0.3 rather than 0.30000000000000004.
        while let edge = Double("\(Double(multiple) * step)e\(exponent)"), edge <= high {
            edges.append(edge)
            multiple += 1
        }
        func below(_ edge: Double) -> Int { countBelow(edge, inAscending: finite) }
        while edges.count > 1, below(edges[0]) < minimumBinRows { edges.removeFirst() }
        while edges.count > 1, finite.count - below(edges[edges.count - 1]) < minimumBinRows { edges.removeLast() }
        return SensitiveBins(edges: edges)
    }

    /// How many of the ascending `values` are less than `edge` (a binary search).
    static func countBelow(_ edge: Double, inAscending values: [Double]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] >= edge { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func distinctCount(_ column: Column) -> Int? {
        switch column.storage {
        case .categorical(let values): return values.levels.count
        case .numeric(let values): return Set(values.values.filter(\.isFinite)).count
        case .boolean: return nil
        }
    }
}
