import FairleadCore
import Foundation

extension StatisticsPart {
    /// A part read from `file`, every number and relation checked (``validate(file:)``).
    ///
    /// - Throws: `FairleadError(.invalidData)` at `file` for JSON that is not a statistics
    ///   part, a newer or unknown version, or numbers that cannot be statistics.
    public static func decode(_ bytes: Data, file: String) throws -> StatisticsPart {
        var memory = StatisticsPartMemory(limits: Limits())
        return try decode(bytes, file: file, memory: &memory)
    }

    /// A part read from `file`, as ``decode(_:file:)`` reads it, once `memory` admits its
    /// JSON values beside the parts read before it (``StatisticsPartMemory``).
    public static func decode(_ bytes: Data, file: String, memory: inout StatisticsPartMemory) throws -> StatisticsPart {
        // A byte-order mark (an editor's save) is no part of the JSON, as reports and query results read it.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(bytes.dropFirst(3)) : bytes
        struct Header: Decodable { var format: String?; var version: Int? }
        let location = SourceLocation(file: file)
        // Strictly first (_PartJSONScan): a key given twice, a key no field has, a number
        // past a double's range or broken JSON is refused at its line and column.
        let counted: (values: Int, textBytes: Int)
        do {
            counted = try _PartJSONScan.check(bytes, knownKeys: knownJSONKeys)
        } catch {
            let (line, column) = JSONFault.lineAndColumn(of: error.offset, in: bytes)
            throw FairleadError(.invalidData, "\(error.isKey ? "not a statistics part" : "not valid JSON"): \(error.message); a statistics part is the JSON that `fairlead stats` writes",
                                at: SourceLocation(file: file, line: line, column: column))
        }
        try memory.admit(values: counted.values, textBytes: counted.textBytes, file: file)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: bytes)
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty, let error = unfit(bytes, file: file, decoding: Header.self) { throw error }
            let why = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            throw FairleadError(.invalidData, "not valid JSON (\(why)); a statistics part is the JSON that `fairlead stats` writes", at: location)
        } catch {
            throw FairleadError(.invalidData, "not a JSON object with \"format\" and \"version\"; a statistics part is the JSON that `fairlead stats` writes", at: location)
        }
        guard header.format == formatName else {
            throw FairleadError(.invalidData, "not a statistics part: its \"format\" is \(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(formatName)\" (written by `fairlead stats`)", at: location)
        }
        guard let version = header.version, readableVersions.contains(version) else {
            let version = header.version.map(String.init) ?? "missing"
            throw FairleadError(.invalidData, "statistics part version \(version); this fairlead reads versions \(readableVersions.lowerBound)–\(readableVersions.upperBound)"
                                + ((header.version ?? 0) > currentVersion ? " — it was written by a newer fairlead" : ""), at: location)
        }
        try checkGroupCounts(bytes, maxGroups: memory.limits.maxGroups, at: location)
        let part: StatisticsPart
        do {
            part = try JSONDecoder().decode(StatisticsPart.self, from: bytes)
        } catch let DecodingError.keyNotFound(key, context) {
            throw FairleadError(.invalidData, "missing \"\(key.stringValue)\" at \(path(context.codingPath))", at: location)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw FairleadError(.invalidData, "wrong type at \(path(context.codingPath)): \(context.debugDescription)", at: location)
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty, let error = unfit(bytes, file: file, decoding: StatisticsPart.self) { throw error }
            throw FairleadError(.invalidData, "unreadable value at \(path(context.codingPath)): \(context.debugDescription)", at: location)
        }
        try part.validate(file: file, maxGroups: memory.limits.maxGroups)
        return part
    }

    /// What a part's group counts need: its spec and its groupings without their groups.
    private struct GroupCounts: Decodable {
        struct Profile: Decodable { var spec: StatisticsSpec }
        struct Decision: Decodable { var name: String; var groupings: [Grouping] }
        struct Grouping: Decodable {
            var attributes: [String]
            var levels: [[String]]
            var hasMissing: [Bool]
            enum CodingKeys: String, CodingKey {
                case attributes, levels
                case hasMissing = "has_missing"
            }
        }
        var profile: Profile
        var decisions: [Decision]
    }

    /// Refuses a part with a grouping of more than `maxGroups` groups from its levels,
    /// before its groups are decoded (``validate(file:maxGroups:)`` checks them again, for
    /// a part made otherwise): a part may list a million groups, each a dozen values. A
    /// part whose groupings do not decode is left to the full decode, which says where.
    private static func checkGroupCounts(_ bytes: Data, maxGroups: Int, at location: SourceLocation) throws {
        guard let counts = try? JSONDecoder().decode(GroupCounts.self, from: bytes) else { return }
        for decision in counts.decisions {
            for grouping in decision.groupings {
                try GroupingPart.checkGroupCount(attributes: grouping.attributes, levels: grouping.levels, hasMissing: grouping.hasMissing,
                                                 spec: counts.profile.spec, maxGroups: maxGroups,
                                                 where: "decision \(decision.name), \(grouping.attributes.joined(separator: "*"))", at: location)
            }
        }
    }

    /// Every key a part's JSON holds, at any depth: the coding keys of ``StatisticsPart``
    /// and of the types in it (`StatisticsPartTests` checks the list against the keys of
    /// parts as written). No part has an object keyed by data, so a name not here is a
    /// typo or something added by hand.
    static let knownJSONKeys: Set<String> = [
        // StatisticsPart
        "format", "version", "profile", "data", "labelled", "scores", "decisions", "histograms", "no_consent",
        // ProfileInfo, StatisticsSpec and its parts
        "name", "spec", "statistics_sha256", "score", "label", "label_positive", "weight", "score_range", "missing_markers",
        "sensitive", "intersections", "score_grid", "consent", "column", "purpose", "rule", "bins", "missing", "one_hot", "lower", "upper",
        // ShardInfo, ScoreRange
        "source", "sha256", "content_sha256", "query_result", "bytes", "rows_read", "min", "max",
        // Decision, GroupingPart, Excluded, GroupPart
        "groupings", "attributes", "levels", "has_missing", "excluded", "groups",
        "missing_score", "missing_prediction", "missing_label", "missing_sensitive", "group", "tp", "fp", "tn", "fn",
        // ScoreHistogram, HistogramGroup
        "uncounted", "cells",
    ]

    /// The value `JSONDecoder` refused without saying where (a count past `Int`'s range),
    /// at its line, column and key; the JSON's grammar is checked before.
    private static func unfit<T: Decodable>(_ bytes: Data, file: String, decoding type: T.Type) -> FairleadError? {
        guard let fault = JSONFault.locate(in: bytes, decodes: { (try? JSONDecoder().decode(type, from: $0)) != nil }) else { return nil }
        return FairleadError(.invalidData, fault.message,
                             at: SourceLocation(file: file, line: fault.line, column: fault.column, field: fault.keyPath))
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : JSONKeyPath.text(keys)
    }

    /// The largest count a part holds: every whole number up to it is exact as a JSON or
    /// CSV number read as a double.
    static let largestCount = 9_007_199_254_740_992

    /// `value` as a count of rows: a whole number from 0 to ``largestCount``.
    static func count(_ value: Double, what: String, fail: (String) -> FairleadError) throws -> Int {
        guard value >= 0, value == value.rounded(), value <= Double(largestCount) else {
            throw fail("\(what) is \(shown(value)), expected a whole number from 0 to 2^53 (\(largestCount))")
        }
        return Int(value)
    }

    /// A number read from a part or result as its message shows it: a whole one without
    /// a point (`8`, `-1`, where Swift writes `8.0`), any other as Swift writes it, digits
    /// kept.
    static func shown(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// Adds `count` rows to `total`, refusing a sum past `Int.max` rather than wrapping or trapping.
    static func add(_ count: Int, to total: inout Int, fail: (String) -> FairleadError) throws {
        let (sum, overflow) = total.addingReportingOverflow(count)
        guard !overflow else { throw fail("the counts add up to more than \(Int.max) rows") }
        total = sum
    }

    /// Checks what the engine relies on: counts are whole and non-negative, sums finite
    /// and consistent with them, groups are combinations of the listed levels, each
    /// grouping accounts for every row read exactly once and has at most `maxGroups`
    /// groups (``Limits/maxGroups`` of the audit that reads it), and the part's decisions
    /// and groupings are its spec's.
    ///
    /// Every step takes time linear (or n log n) in the groups and levels listed, and the
    /// group count is checked from the levels before any group is looked at: a part is
    /// a file from elsewhere, and may list a million of them.
    func validate(file: String, maxGroups: Int = Limits().maxGroups) throws {
        let location = SourceLocation(file: file)
        func fail(_ message: String) -> FairleadError { FairleadError(.invalidData, message, at: location) }
        guard profile.statisticsSHA256 == profile.spec.sha256 else {
            throw fail("profile.statistics_sha256 is not the digest of profile.spec: the part was altered")
        }
        // As `fairlead stats` refuses to write them: weights too small for their squares
        // (the merged audit counted "0 effective rows" and exited 0 where the rows fail),
        // whoever summed them — a query's result, a pushdown, a part edited by hand. First:
        // the checks of sums below would name a consequence of it.
        try checkFiniteSums(dataPath: file)
        guard !data.isEmpty else { throw fail("\"data\" lists no shard") }
        var rows = 0
        for shard in data {
            guard shard.rowsRead >= 0, shard.bytes >= 0 else { throw fail("shard \(MessageQuote.clipped(shard.source)): negative rows or bytes") }
            // Every shard is a file with a header at least: `fairlead stats` and a query
            // result's read refuse an empty file, as the audit of the rows does.
            guard shard.bytes > 0 else {
                throw fail("shard \(MessageQuote.clipped(shard.source)): 0 bytes, but a shard's file holds a header at least (an empty file is refused, by `fairlead stats` as by an audit)")
            }
            guard shard.rowsRead <= Self.largestCount, shard.bytes <= Self.largestCount else {
                throw fail("shard \(MessageQuote.clipped(shard.source)): rows_read or bytes above 2^53 (\(Self.largestCount))")
            }
            for (key, digest) in [("sha256", shard.sha256), ("content_sha256", shard.contentSHA256)] {
                guard let digest else { continue }
                guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
                    throw fail("shard \(MessageQuote.clipped(shard.source)): \(key) is not 64 hexadecimal digits")
                }
            }
            rows += shard.rowsRead
            guard rows <= Self.largestCount else { throw fail("the shards hold more than 2^53 (\(Self.largestCount)) rows in all") }
        }
        if let scores, !(scores.min.isFinite && scores.max.isFinite && scores.min <= scores.max) {
            throw fail("scores.min and scores.max must be finite with min ≤ max")
        }
        let spec = profile.spec
        if let scores, let range = spec.scoreRange, range.count == 2, scores.min < range[0] || scores.max > range[1] {
            throw fail("scores run \(scores.min)–\(scores.max), outside the spec's score range \(range[0])–\(range[1])")
        }
        switch (spec.consent, withoutConsent) {
        case (nil, nil): break
        case (nil, _?): throw fail("the part counts rows without consent (no_consent), but its spec declares no data.consent")
        case (_?, nil): throw fail("the spec declares data.consent, but the part has no no_consent count")
        case (_?, let excluded?):
            guard excluded >= 0, excluded <= rows else {
                throw fail("no_consent is \(excluded), but must be between 0 and the \(rows) rows read")
            }
            rows -= excluded
        }
        guard decisions.map(\.name) == spec.decisions.map(\.name) else {
            throw fail("the decisions \(decisions.map(\.name)) are not the spec's \(spec.decisions.map(\.name))")
        }
        let expected = spec.sensitive.map { [$0.column] } + spec.intersections
        for decision in decisions {
            guard decision.groupings.map(\.attributes) == expected else {
                throw fail("decision \(decision.name): the groupings \(decision.groupings.map(\.attributes)) are not the spec's \(expected)")
            }
            for grouping in decision.groupings {
                try grouping.checkGroupCount(spec: spec, maxGroups: maxGroups,
                                             where: "decision \(decision.name), \(grouping.attributes.joined(separator: "*"))", at: location)
            }
            for grouping in decision.groupings {
                try grouping.validate(rowsRead: rows, labelled: labelled, weighted: spec.weight != nil, scores: scores,
                                      where: "decision \(decision.name), \(grouping.attributes.joined(separator: "*"))", fail: fail)
            }
        }
        switch (spec.scoreGrid, histograms) {
        case (nil, nil): break
        case (nil, _?): throw fail("the part has score histograms, but its spec declares no score grid")
        case (_?, nil):
            throw fail("the spec declares a score grid, but the part has no score histograms (a version \(version) part); make it again with `fairlead stats`")
        case (let grid?, let histograms?):
            guard version >= 2 else { throw fail("a version 1 part cannot hold score histograms") }
            guard grid.bins >= 1, grid.lower.isFinite, grid.upper.isFinite, grid.lower <= grid.upper else {
                throw fail("profile.spec.score_grid needs bins ≥ 1 and a finite range")
            }
            guard histograms.map(\.attributes) == expected else {
                throw fail("the score histograms' groupings \(histograms.map(\.attributes)) are not the spec's \(expected)")
            }
            for histogram in histograms {
                try histogram.validate(grid: grid, rowsRead: rows, labelled: labelled, weighted: spec.weight != nil,
                                       where: "score histogram \(histogram.attributes.joined(separator: "*"))", fail: fail)
            }
        }
        try checkConsistency(fail: fail)
    }

    /// The statistics of all `parts`' rows: shards are listed and every count and sum
    /// added, group by group, over the union of the levels.
    ///
    /// The order of `parts` does not matter: they are added in the order of their shards'
    /// digests, so any order gives the same bytes. Counts add exactly; sums of weights and
    /// scores up to floating-point rounding (exactly, for unweighted rows' counts).
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the files when parts were made under
    ///   different statistics specs, or when two parts hold the same shard (its rows would
    ///   count twice).
    public static func merged(_ parts: [(file: String, part: StatisticsPart)]) throws -> StatisticsPart {
        guard let first = parts.first else {
            throw FairleadError(.usage, "no statistics part to merge")
        }
        for other in parts.dropFirst() where other.part.profile.statisticsSHA256 != first.part.profile.statisticsSHA256 {
            let why = first.part.profile.spec.difference(from: other.part.profile.spec, mine: first.file, theirs: other.file)
                ?? "their statistics specs differ"
            throw FairleadError(.invalidData,
                                "\(other.file) was made under a different profile than \(first.file): \(why); make every part with the same profile",
                                at: SourceLocation(file: other.file))
        }
        // A String-keyed union merges one text's two Unicode spellings (NFC and NFD "café")
        // into one group, which the audit of the rows refuses: refuse it here too. Every
        // grouping lists its attributes' levels as their own groupings do (validate(file:)).
        if let groupings = first.part.decisions.first?.groupings {
            for (index, grouping) in groupings.enumerated() where grouping.attributes.count == 1 {
                var seen: [String: (spelling: String, file: String)] = [:]
                for (file, part) in parts {
                    for level in part.decisions[0].groupings[index].levels[0] {
                        guard let earlier = seen[level] else {
                            seen[level] = (level, file)
                            continue
                        }
                        if MessageQuote.areTwoSpellings(earlier.spelling, level) {
                            throw FairleadError(.invalidData,
                                                "\(file) and \(earlier.file) list the \(grouping.attributes[0]) level in two Unicode spellings, \"\(MessageQuote.spelled(earlier.spelling))\" in \(earlier.file) and \"\(MessageQuote.spelled(level))\" in \(file): two groups to the shards, one to an audit, which refuses the column; normalize the column (NFC) first",
                                                at: SourceLocation(file: file))
                        }
                    }
                }
            }
        }
        // Each part's rows and bytes are at most 2⁵³ (validate(file:)); so must all
        // parts' be, for every count of the merged statistics to stay exact.
        var (rows, bytes) = (0, 0)
        for (file, part) in parts {
            for shard in part.data {
                rows += shard.rowsRead
                bytes += shard.bytes
                guard rows <= largestCount, bytes <= largestCount else {
                    throw FairleadError(.invalidData,
                                        "the parts up to \(MessageQuote.clipped(file)) hold more than 2^53 (\(largestCount)) \(rows > largestCount ? "rows" : "bytes") in all",
                                        at: SourceLocation(file: file))
                }
            }
        }
        // By the digest of the CSV read, not of the file: a shard and its gzip copy (or a
        // part of each) hold the same rows under two file digests.
        var seen: [String: (file: String, shard: ShardInfo)] = [:]
        for (file, part) in parts {
            for shard in part.data where shard.rowsRead > 0 {
                let digest = shard.contentDigest.lowercased()
                if let earlier = seen[digest] {
                    let copies = earlier.shard.sha256 == shard.sha256
                        ? "the shard with SHA-256 \(shard.sha256) (\(MessageQuote.clipped(shard.source)))"
                        : "the same CSV, SHA-256 \(digest) as read, in \(MessageQuote.clipped(earlier.shard.source)) and \(MessageQuote.clipped(shard.source)) (\(earlier.shard.contentSHA256 != nil && shard.contentSHA256 != nil ? "both gzip, compressed apart" : "one of them gzip"))"
                    throw FairleadError(.invalidData,
                                        "\(file) and \(earlier.file) both hold \(copies); its \(shard.rowsRead) rows would count twice",
                                        at: SourceLocation(file: file))
                }
                seen[digest] = (file, shard)
            }
        }
        let ordered = parts.map(\.part).sorted { $0.data.map(\.sha256).joined() < $1.data.map(\.sha256).joined() }
        var merged = ordered[0]
        for part in ordered.dropFirst() {
            merged.data += part.data
            merged.labelled = merged.labelled || part.labelled
            switch (merged.scores, part.scores) {
            case (let a?, let b?): merged.scores = ScoreRange(min: Swift.min(a.min, b.min), max: Swift.max(a.max, b.max))
            case (nil, let b): merged.scores = b
            default: break
            }
            if var histograms = merged.histograms, let others = part.histograms {
                for index in histograms.indices { histograms[index].add(others[index]) }
                merged.histograms = histograms
            }
            merged.version = Swift.max(merged.version, part.version)
            if let excluded = part.withoutConsent { merged.withoutConsent = (merged.withoutConsent ?? 0) + excluded }
            for decision in merged.decisions.indices {
                for grouping in merged.decisions[decision].groupings.indices {
                    try merged.decisions[decision].groupings[grouping].add(part.decisions[decision].groupings[grouping],
                                                                           spec: merged.profile.spec)
                }
            }
        }
        merged.data.sort { ($0.sha256, $0.source) < ($1.sha256, $1.source) }
        return merged
    }
}

extension StatisticsPart.GroupingPart {
    /// Checks the counts (each row read counted once) and that every cell's sums could be
    /// those of its rows: unweighted rows weigh 1 each; weights are ≥ 0, Σw² ≤ (Σw)², the
    /// scored rows' weight at most all rows', and Σw·score within the scores' range times
    /// the scored weight — so an altered number cannot pass for a statistic (a mean score
    /// of 1.7 million on scores within [0, 1]).
    fileprivate func validate(rowsRead: Int, labelled: Bool, weighted: Bool, scores: StatisticsPart.ScoreRange?,
                              where place: String, fail: (String) -> FairleadError) throws {
        guard levels.count == attributes.count, hasMissing.count == attributes.count else {
            throw fail("\(place): levels and has_missing need one entry per attribute")
        }
        for list in levels {
            guard Set(list).count == list.count else {
                let sorted = list.sorted()
                if let (a, b) = zip(sorted, sorted.dropFirst()).first(where: { MessageQuote.areTwoSpellings($0, $1) }) {
                    throw fail("\(place): a level is listed in two Unicode spellings, \"\(MessageQuote.spelled(a))\" and \"\(MessageQuote.spelled(b))\", which an audit would merge; normalize the column (NFC) first")
                }
                throw fail("\(place): a level is listed twice")
            }
        }
        // Each level by its text (String equality is canonical equivalence; no two levels
        // of a list are equivalent, checked above): a group value's lookup is one hash.
        let spellings = levels.map { list in Dictionary(uniqueKeysWithValues: list.map { ($0, $0) }) }
        guard excluded.values.allSatisfy({ $0 >= 0 }) else { throw fail("\(place): a negative excluded count") }
        var total = 0
        for count in excluded.values { try StatisticsPart.add(count, to: &total, fail: fail) }
        var keys: Set<[String]> = []
        for group in groups {
            guard group.group.count == attributes.count else { throw fail("\(place): group \(group.group) needs one value per attribute") }
            // Code point for code point: a value in another spelling than its level's would
            // be merged with it by a String-keyed dictionary, and kept apart by a read of rows.
            for (value, listed) in zip(group.group, spellings)
            where value != MissingSensitivePolicy.unknownLabel && listed[value]?.unicodeScalars.elementsEqual(value.unicodeScalars) != true {
                throw fail("\(place): group value \"\(value)\" is not among the listed levels")
            }
            guard keys.insert(group.group).inserted else { throw fail("\(place): group \(group.group) is listed twice") }
            for (name, row) in group.rows {
                guard row.count == 5, row.allSatisfy(\.isFinite) else {
                    throw fail("\(place), group \(group.group): \(name) must be five finite numbers [count, Σw, Σw², Σw scored, Σw·score]")
                }
                let count = try StatisticsPart.count(row[0], what: "\(place), group \(group.group): the \(name) count", fail: fail)
                try Self.checkSums(row, count: count, weighted: weighted, scores: scores) { problem, _ in
                    fail("\(place), group \(group.group): \(name) \(problem)")
                }
                if count == 0, row.dropFirst().contains(where: { $0 != 0 }) {
                    throw fail("\(place), group \(group.group): \(name) has sums but no rows")
                }
                if !labelled, name == "tp" || name == "fn", count > 0 {
                    throw fail("\(place), group \(group.group): the data has no labels, so no row can be in \(name)")
                }
                try StatisticsPart.add(count, to: &total, fail: fail)
            }
        }
        guard total == rowsRead else {
            throw fail("\(place): the groups and exclusions hold \(total) rows, but \(rowsRead) were read; every row read is counted once")
        }
    }

    /// Refuses a grouping with more groups than `maxGroups`, from its levels alone, as the
    /// audit's ``Grouping`` would refuse it after the merge: at `location`, after `place`.
    fileprivate func checkGroupCount(spec: StatisticsSpec, maxGroups: Int, where place: String, at location: SourceLocation) throws {
        try Self.checkGroupCount(attributes: attributes, levels: levels, hasMissing: hasMissing, spec: spec, maxGroups: maxGroups,
                                 where: place, at: location)
    }

    /// ``checkGroupCount(spec:maxGroups:where:at:)`` of a grouping's parts, before the
    /// grouping is decoded whole.
    fileprivate static func checkGroupCount(attributes: [String], levels: [[String]], hasMissing: [Bool], spec: StatisticsSpec,
                                            maxGroups: Int, where place: String, at location: SourceLocation) throws {
        do {
            try Grouping.checkGroupCount(attributes: attributes, levels: levels, hasMissing: hasMissing,
                                         missingPolicies: spec.missingPolicies(for: attributes), maxGroups: maxGroups)
        } catch var error as FairleadError {
            error.message = "\(place): " + error.message
            error.location = location
            throw error
        }
    }

    /// Whether a cell's `[count, Σw, Σw², Σw scored, Σw·score]` could come from `count` rows
    /// (see ``validate(rowsRead:labelled:weighted:scores:where:fail:)``); sums of floating-point
    /// terms are allowed a relative rounding of 10⁻⁹. `fail` is given the problem and the
    /// position in `row` of the number found wrong, for a reader that knows each one's
    /// line and column (a query result's).
    static func checkSums(_ row: [Double], count: Int, weighted: Bool, scores: StatisticsPart.ScoreRange?,
                          fail: (String, Int) -> FairleadError) throws {
        let slack = 1e-9
        let (weight, squared, scoredWeight, scoreSum) = (row[1], row[2], row[3], row[4])
        if let negative = (1...3).first(where: { !(row[$0] >= 0) }) {
            throw fail("weights must be ≥ 0", negative)
        }
        if !weighted {
            guard weight == Double(count), squared == Double(count), scoredWeight <= weight, scoredWeight == scoredWeight.rounded() else {
                throw fail("has \(count) unweighted rows, so Σw and Σw² must be \(count) and the scored weight a whole number up to it; found \(weight), \(squared), \(scoredWeight)",
                           weight != Double(count) ? 1 : squared != Double(count) ? 2 : 3)
            }
        }
        guard weight <= Double(count) * AuditColumns.largestWeight * (1 + slack) else {
            throw fail("has Σw = \(weight) over \(count) rows, more than their largest weight (\(AuditColumns.largestWeight)) allows", 1)
        }
        guard scoredWeight <= weight * (1 + slack) else {
            throw fail("has a scored weight \(scoredWeight) above its weight \(weight)", 3)
        }
        guard squared <= weight * weight * (1 + slack), (weight * weight).isFinite else {
            throw fail("has Σw² = \(squared) with Σw = \(weight): weights that are not ≥ 0 numbers of a finite square", 2)
        }
        guard let scores else {
            guard scoreSum == 0, scoredWeight == 0 else { throw fail("has scored rows, but the part records no score range", scoreSum != 0 ? 4 : 3) }
            return
        }
        let low = scores.min * scoredWeight, high = scores.max * scoredWeight
        let tolerance = slack * max(abs(low), abs(high)) + 1e-300
        guard scoreSum >= low - tolerance, scoreSum <= high + tolerance else {
            throw fail("has Σw·score = \(scoreSum), outside what scores from \(scores.min) to \(scores.max) over a weight of \(scoredWeight) can sum to", 4)
        }
    }

    /// Adds another shard's statistics of the same grouping.
    fileprivate mutating func add(_ other: StatisticsPart.GroupingPart, spec: StatisticsSpec) throws {
        for index in attributes.indices {
            let bins = spec.sensitive.first { $0.column == attributes[index] }?.bins
            levels[index] = Self.union(levels[index], other.levels[index], bins: bins)
            hasMissing[index] = hasMissing[index] || other.hasMissing[index]
        }
        let counts = zip(excluded.values, other.excluded.values).map { $0.0 + $0.1 }
        excluded = StatisticsPart.Excluded(missingScore: counts[0], missingPrediction: counts[1],
                                           missingLabel: counts[2], missingSensitive: counts[3])
        var positions: [[String]: Int] = [:]
        for (index, group) in groups.enumerated() { positions[group.group] = index }
        for group in other.groups {
            if let index = positions[group.group] {
                groups[index] = groups[index].adding(group)
            } else {
                positions[group.group] = groups.count
                groups.append(group)
            }
        }
        groups.sort { $0.group.lexicographicallyPrecedes($1.group) }
    }

    /// The levels of both shards in the order a row-level read of their union gives:
    /// the bins' order for a binned attribute, else sorted.
    static func union(_ a: [String], _ b: [String], bins: [Double]?) -> [String] {
        let all = Array(Set(a).union(b))
        if let bins, let names = SensitiveBins(edges: bins)?.groupNames {
            let rank = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return all.sorted { (rank[$0] ?? .max, $0) < (rank[$1] ?? .max, $1) }
        }
        return all.sorted()
    }
}

extension StatisticsPart.GroupPart {
    fileprivate func adding(_ other: StatisticsPart.GroupPart) -> StatisticsPart.GroupPart {
        func add(_ x: [Double], _ y: [Double]) -> [Double] { zip(x, y).map { $0 + $1 } }
        return StatisticsPart.GroupPart(group: group, tp: add(tp, other.tp), fp: add(fp, other.fp),
                                        tn: add(tn, other.tn), fn: add(fn, other.fn))
    }
}
