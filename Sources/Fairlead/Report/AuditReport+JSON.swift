import FairleadCore
import Foundation

extension AuditReport {
    /// The report as canonical JSON: snake_case keys, sorted, pretty-printed, so that two
    /// equal reports give byte-identical files. DEL, C1 controls and bidirectional
    /// characters in names are written `\uXXXX` (``JSONEscaping``), like C0 controls.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return JSONEscaping.escapingHidden(try encoder.encode(self))
    }

    /// Reads a report written by ``jsonData()``.
    ///
    /// The JSON is decoded whole, once its values are counted and planned within
    /// `limits.memoryBudgetBytes` (``JSONMemoryPlan``): a report padded with a hundred
    /// million small values is refused before the decoder maps them.
    ///
    /// - Throws: `FairleadError(.invalidData)` when the JSON is not a report or has a
    ///   schema version this Fairlead does not know, or is UTF-16 or UTF-32 (JSON is
    ///   UTF-8, RFC 8259; the message says how to convert it), or naming
    ///   ``Limits/Name/memoryBudgetBytes`` when its decoding is planned above the budget.
    public static func decode(json data: Data, source: String = "report", limits: Limits = Limits()) throws -> AuditReport {
        if let encoding = ForeignTextEncoding.detect(data) { throw encoding.refusal(of: source, kind: .invalidData) }
        try JSONMemoryPlan(counting: data).check(limits, file: source, what: "the report", kind: .invalidData)
        // Read as the decoder reads it, a key given twice says one thing here (the first
        // copy) and another to Python and jq (the last): a second "status": "pass" that jq
        // showed rendered as FAIL.
        if let duplicate = JSONDuplicateKey.first(in: data) {
            throw FairleadError(.invalidData,
                                "not a report as `fairlead audit` writes it: the key \"\(MessageQuote.clipped(duplicate.key, limit: 60))\" is given twice in one object, and readers disagree on which copy counts (this one reads the first, Python and jq the last); restore the report, or audit the data again",
                                at: SourceLocation(file: source, line: duplicate.line, column: duplicate.column,
                                                   field: duplicate.keyPath.isEmpty ? nil : duplicate.keyPath))
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        struct Versioned: Decodable { var schemaVersion: Int }
        let version: Int
        do {
            version = try decoder.decode(Versioned.self, from: data).schemaVersion
        } catch {
            let (why, location) = Self.describe(error, in: data, source: source) { try decoder.decode(Versioned.self, from: $0) }
            throw FairleadError(.invalidData, "not a Fairlead report: \(why); expected the JSON that `fairlead audit --format json` writes, with a schema_version",
                                at: location)
        }
        // Version 1 reports (before the typed catalog) read as they are: version 2 only
        // added fields and the `no_rules` status.
        guard (1...currentSchemaVersion).contains(version) else {
            throw FairleadError(.invalidData, "report schema version \(version) is not supported (this Fairlead reads versions 1 to \(currentSchemaVersion))",
                                at: SourceLocation(file: source))
        }
        let report: AuditReport
        do {
            report = try decoder.decode(AuditReport.self, from: data)
        } catch {
            let (why, location) = Self.describe(error, in: data, source: source) { try decoder.decode(AuditReport.self, from: $0) }
            throw FairleadError(.invalidData, "not a valid Fairlead report of schema version \(version): \(why)", at: location)
        }
        if let problem = report.inconsistency {
            throw FairleadError(.invalidData, "not a report as `fairlead audit` writes it: \(problem); it was changed after the audit "
                                + "wrote it (audit the data again, or restore the report)", at: SourceLocation(file: source))
        }
        return report
    }

    /// What in a decoded report no audit writes, or `nil`: a count below 0, rows that do
    /// not add up (read = used + Σ excluded), or a status other than its findings give
    /// (``aggregateStatus(_:)``) — a report edited to say `pass` over failed findings
    /// rendered as PASS — or a finding whose verdict its own value and rule deny (`pass`
    /// for a `disparate_impact >= 0.8` of 0.38). Version 1 reports, written before the
    /// `no_rules` status, are not held to their status.
    var inconsistency: String? {
        func negative(_ counts: [(String, Int)]) -> String? {
            counts.first { $0.1 < 0 }.map { "\($0.0) is \($0.1); a count of rows is 0 or more" }
        }
        if let problem = negative([("rows.read", rows.read), ("rows.used", rows.used)]
                                  + rows.excluded.sorted { $0.key < $1.key }.map { ("rows.excluded.\($0.key)", $0.value) }) {
            return problem
        }
        // Every count is 0 or more here, so a sum that overflows cannot be rows.read.
        var total = (partialValue: rows.used, overflow: false)
        for count in rows.excluded.values where !total.overflow { total = total.partialValue.addingReportingOverflow(count) }
        if total.overflow || total.partialValue != rows.read {
            return "rows.read is \(rows.read), but rows.used (\(rows.used)) and the rows excluded (rows.excluded) do not add up to it"
        }
        for (decision, report) in decisions.sorted(by: { $0.key < $1.key }) {
            if let problem = negative([("decisions.\(decision).selected", report.selected)]) { return problem }
            for (attribute, section) in report.attributes.sorted(by: { $0.key < $1.key }) {
                let place = "decisions.\(decision).attributes.\(attribute)"
                if let problem = negative([("\(place).overall.count", section.overall.count), ("\(place).excluded_missing", section.excludedMissing)]
                                          + section.groups.sorted { $0.key < $1.key }.map { ("\(place).groups.\($0.key).count", $0.value.count) }) {
                    return problem
                }
            }
        }
        if let problem = renderedCountsInconsistency { return problem }
        if let problem = valuesInconsistency { return problem }
        for (index, finding) in findings.enumerated() {
            var problem = finding.inconsistency
            // Only a decision whose top k cut through tied scores has a range over its splits.
            if problem == nil, finding.tieRange != nil, decisions[finding.decision]?.tieAtCutoff == nil {
                problem = "has a tie_range, but its decision \(MessageQuote.clipped(finding.decision)) has no tie_at_cutoff"
            }
            if let problem { return "findings[\(index)] (\(finding.rule), \(finding.decision) / \(finding.attribute)\(finding.group.map { " / \(MessageQuote.clipped($0))" } ?? "")) \(problem)" }
        }
        if let problem = drift?.inconsistency(minimumGroupSize: settings.minimumGroupSize, groupCount: { decision, attribute, group in
            // The group's rows now, when unweighted (weighted groups are judged on effective
            // rows, which the report holds for this audit only).
            guard let report = decisions[decision]?.attributes[attribute]?.groups[group], report.effectiveCount == nil else { return nil }
            return report.count
        }) { return problem }
        let findings = Self.aggregateStatus(judgement)
        if schemaVersion >= 2, status != findings {
            let counts = judgement
            return "its status is \(status.rawValue), but its findings give \(findings.rawValue) (\(counts.passed) passed, \(counts.failed) failed, "
                + "\(counts.insufficientEvidence) insufficient evidence; \(counts.checksFailed) of \(counts.checks) drift and proxy checks failed)"
        }
        return nil
    }

    /// What no audit writes among the numbers a reader acts on, or `nil`: a group's share
    /// outside [0, 1] or a weight below 0; a rate outside [0, 1]; a value that is not its
    /// own numerator over its denominator; a finding at a decision the report does not
    /// hold; a `generated_at` that is no time. A hispanic `selection_rate` of 5.0 with
    /// 117/931 beside it, a `share` of -3, rendered as "5.000" and "-300.0%" with exit 0.
    private var valuesInconsistency: String? {
        if Self.generatedAtDate(generatedAt) == nil {
            return "generated_at is \"\(MessageQuote.clipped(generatedAt, limit: 40))\"; an audit writes the UTC time it ran, such as 2026-03-02T09:00:00Z"
        }
        for (decision, report) in decisions.sorted(by: { $0.key < $1.key }) {
            for (attribute, section) in report.attributes.sorted(by: { $0.key < $1.key }) {
                let place = "decisions.\(decision).attributes.\(attribute)"
                let groups = [("\(place).overall", section.overall)]
                    + section.groups.sorted { $0.key < $1.key }.map { ("\(place).groups.\(MessageQuote.clipped($0.key))", $0.value) }
                for (location, group) in groups {
                    if !(group.share >= 0 && group.share <= 1) {
                        return "\(location).share is \(group.share); a group's share of the rows lies between 0 and 1"
                    }
                    if !(group.weight >= 0 && group.weight.isFinite) {
                        return "\(location).weight is \(group.weight); a group's weight is 0 or more"
                    }
                    for (name, estimate) in group.metrics.sorted(by: { $0.key < $1.key }) {
                        guard let value = estimate.value else { continue }
                        if GroupMetric(rawValue: name)?.isRate == true, !(value >= 0 && value <= 1) {
                            return "\(location).metrics.\(name) is \(FindingJudge.format(value)); a rate lies between 0 and 1"
                        }
                        if let numerator = estimate.numerator, let denominator = estimate.denominator, denominator > 0,
                           !(abs(value - numerator / denominator) <= 1e-9 * Swift.max(1, abs(value))) {
                            return "\(location).metrics.\(name) is \(FindingJudge.format(value)), but its numerator and denominator give \(FindingJudge.format(numerator)) / \(FindingJudge.format(denominator)) = \(FindingJudge.format(numerator / denominator))"
                        }
                    }
                }
            }
        }
        for (index, finding) in findings.enumerated() where decisions[finding.decision] == nil {
            // The lead queue's findings are at "queue" or at a top-k decision, which an audit
            // from a score grid judges without a decision section.
            if Metric(rawValue: finding.metric)?.definition.family == .queue { continue }
            return "findings[\(index)] (\(finding.rule)) is at decision \(MessageQuote.clipped(finding.decision)), which the report's decisions do not hold"
        }
        return nil
    }

    /// `generated_at` as a time: the audit writes whole seconds in UTC (`2026-03-02T09:00:00Z`).
    static func generatedAtDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// What no audit writes among the values the renderings compute with, or `nil`: an
    /// interval level outside (0, 1) (the Markdown header shows it as a whole percentage),
    /// a score histogram whose bin counts are negative or do not add up to its `count`, a
    /// group's reliability bins holding a negative count or more rows than the audit read.
    /// The renderings add these counts up (to draw densities, to rank groups), and a sum
    /// past `Int.max` would stop the process.
    private var renderedCountsInconsistency: String? {
        if !(settings.intervalLevel > 0 && settings.intervalLevel < 1) {
            return "settings.interval_level is \(settings.intervalLevel); an audit's interval level lies between 0 and 1"
        }
        /// The sum of `counts` when each is 0 or more and it does not overflow.
        func total(_ counts: [Int]) -> Int? {
            var sum = 0
            for count in counts {
                guard count >= 0 else { return nil }
                let (next, overflow) = sum.addingReportingOverflow(count)
                if overflow { return nil }
                sum = next
            }
            return sum
        }
        for (attribute, groups) in (scoreDistribution?.attributes ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (group, histogram) in groups.sorted(by: { $0.key < $1.key }) where total(histogram.counts) != histogram.count {
                return "score_distribution.attributes.\(attribute).\(MessageQuote.clipped(group)): its bin counts are not 0 or more each adding up to its count \(histogram.count)"
            }
        }
        for (attribute, queue) in (queue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (group, bins) in queue.calibrationBins.sorted(by: { $0.key < $1.key }) {
                guard let rows = total(bins.map(\.count)), rows <= self.rows.read else {
                    return "queue.\(attribute).calibration_bins.\(MessageQuote.clipped(group)): its bin counts are not 0 or more each adding up to at most the \(self.rows.read) rows read"
                }
            }
        }
        return nil
    }

    /// A decoding error of `data` in words, and where: `JSONDecoder` names no place for a
    /// syntax error or a number its field cannot hold (`1e300` rows), so ``JSONFault``
    /// finds the line, column and key by decoding again with `decode`.
    static func describe<T>(_ error: Error, in data: Data, source: String,
                            decode: (Data) throws -> T) -> (String, SourceLocation) {
        if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty,
           let fault = JSONFault.locate(in: data, decodes: { (try? decode($0)) != nil }) {
            return (fault.message, SourceLocation(file: source, line: fault.line, column: fault.column, field: fault.keyPath))
        }
        return (describe(error), SourceLocation(file: source))
    }

    /// A decoding error in words, with the path to the key it is about (`decisions.x.rule`).
    static func describe(_ error: Error) -> String {
        /// A key as the JSON spells it: the decoder reports the Swift name (`schemaVersion`).
        func snake(_ name: String) -> String {
            name.unicodeScalars.reduce(into: "") { text, scalar in
                if scalar.properties.isUppercase { text += "_" + String(scalar).lowercased() } else { text.unicodeScalars.append(scalar) }
            }
        }
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : JSONKeyPath.text(keys, name: snake)
        }
        /// What a JSON value of `type` is, in JSON's words (not `Dictionary<String, Any>`).
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type, is Int64.Type, is Double.Type: return "a number"
            case is String.Type: return "a string"
            case is Bool.Type: return "true or false"
            default:
                let name = String(describing: type)
                return name.hasPrefix("Dictionary") ? "an object" : name.hasPrefix("Array") ? "an array" : "a \(name)"
            }
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the file is not valid JSON" : "bad value at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "no key \"\(snake(key.stringValue))\"\(place)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not \(kind(type))"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        @unknown default:
            return "\(error)"
        }
    }
}

extension AuditReport.Finding {
    /// What in this finding no audit writes, or `nil`: an `undecided_cause` on a finding
    /// that is not `insufficient_evidence`, or a `pass` or `fail` its own rule and value
    /// deny. The value judged is the verdict interval's ends under
    /// `settings.verdict: interval` (both on the verdict's side), else the `tie_range`'s
    /// ends (a top-k cut through tied scores), else `judged_value` when the small groups
    /// were set aside, else `value`. A finding without a value (a
    /// published release's) or with a rule no audit parses is not checked. (A cause no
    /// audit writes is refused when the report is decoded, ``AuditReport/UndecidedCause``.)
    var inconsistency: String? {
        if let cause = undecidedCause, verdict != .insufficientEvidence {
            return "says \(verdict.rawValue), but has undecided_cause \(cause.rawValue): only an insufficient_evidence finding has a cause"
        }
        if let range = tieRange {
            // A range holds the value it was measured around: the row order's is one of its splits.
            guard range.count == 2, range.allSatisfy(\.isFinite), range[0] <= range[1] else {
                return "has a tie_range \(range) that is not [low, high]"
            }
            if let value = decidingValue, value.isFinite, !(range[0] - 1e-9...range[1] + 1e-9).contains(value) {
                return "has a tie_range [\(range[0]), \(range[1])] that does not hold its \(judgedValue == nil ? "value" : "judged value") \(value)"
            }
        }
        guard verdict == .pass || verdict == .fail, let rule = ruleSpec else { return nil }
        let judged: [Double]
        let which: String
        if let ends = verdictInterval, ends.count == 2 {
            (judged, which) = (ends, "verdict interval [\(ends[0]), \(ends[1])]")
        } else if let ends = tieRange, ends.count == 2 {
            (judged, which) = (ends, "tie range [\(ends[0]), \(ends[1])]")
        } else if let value = decidingValue {
            (judged, which) = ([value], "\(judgedValue == nil ? "value" : "judged value") \(value)")
        } else {
            return nil
        }
        guard judged.allSatisfy(\.isFinite) else { return nil }
        let holds = judged.map { rule.comparison.holds($0, rule.bound) }
        let consistent = verdict == .pass ? holds.allSatisfy { $0 } : !holds.contains(true)
        return consistent ? nil : "says \(verdict.rawValue), but its \(which) \(verdict == .pass ? "breaks" : "meets") the rule"
    }
}

extension AuditReport.DriftReport {
    /// What in this drift section no audit writes, or `nil`: a status other than its
    /// findings give (`fail` when one drifted, `insufficient_evidence` when one is undecided
    /// or none was compared, else `pass`) — a report edited to `pass` rendered "NO DRIFT"
    /// over drifted findings — or a finding whose verdict its own change denies: `pass`
    /// beyond its tolerance, `fail` within it, or `fail` where noise was not ruled out
    /// (an interval holding no change; for PSI a p-value not below the test's share of
    /// 1 − confidence).
    ///
    /// An `insufficient_evidence` finding is held to its numbers too where they leave no
    /// other cause: a tested PSI beyond its limit with its p-value below the test's share,
    /// a fairness value — or a group's difference whose group had `minimumGroupSize` rows
    /// in both audits (`groupCount`: its rows now, nil when unknown) — beyond its tolerance
    /// with an interval that excludes no change: those findings are drift (relabelling
    /// them read "0 drifted"). `change` must be `current − baseline` where both are given.
    func inconsistency(minimumGroupSize: Int, groupCount: (String, String, String) -> Int?) -> String? {
        for (index, finding) in findings.enumerated() {
            if let problem = finding.inconsistency(settings) ?? finding.undecidedInconsistency(settings, minimumGroupSize: minimumGroupSize,
                                                                                               groupCount: groupCount) {
                let place = [finding.decision, finding.attribute, finding.group.map { MessageQuote.clipped($0) }].compactMap { $0 }.joined(separator: " / ")
                return "drift.findings[\(index)] (\(finding.metric), \(place)) \(problem)"
            }
        }
        let given: AuditReport.Verdict = findings.contains { $0.verdict == .fail } ? .fail
            : findings.isEmpty || findings.contains { $0.verdict == .insufficientEvidence } ? .insufficientEvidence : .pass
        guard status == given else {
            return "drift.status is \(status.rawValue), but its findings give \(given.rawValue)"
        }
        return nil
    }
}

extension AuditReport.DriftFinding {
    /// The test's share of 1 − confidence (Bonferroni over the values tested).
    static func alpha(_ settings: AuditReport.DriftSettings) -> Double {
        (1 - settings.confidence) / Double(max(1, settings.tests))
    }

    /// What makes this `insufficient_evidence` finding drift by its own numbers, or `nil`
    /// (``AuditReport/DriftReport/inconsistency(minimumGroupSize:groupCount:)``).
    func undecidedInconsistency(_ settings: AuditReport.DriftSettings, minimumGroupSize: Int,
                                groupCount: (String, String, String) -> Int?) -> String? {
        guard verdict == .insufficientEvidence, let change, change.isFinite, tolerance.isFinite else { return nil }
        switch kind {
        case .psi:
            // A PSI is tested only when its group is large enough: a p-value means it was.
            guard let pValue, pValue < Self.alpha(settings), change > tolerance else { return nil }
        case .fairness, .groupDifference:
            guard abs(change) > tolerance, let interval, interval.count == 2, interval[0] > 0 || interval[1] < 0 else { return nil }
            if kind == .groupDifference {
                guard let decision, let group, let baselineCount, let now = groupCount(decision, attribute, group),
                      min(baselineCount, now) >= minimumGroupSize else { return nil }
            }
        case .share:
            return nil
        }
        return "says insufficient_evidence, but its change \(change) is beyond its tolerance \(tolerance) and noise was ruled out: it is drift"
    }

    /// What in this finding's verdict its own numbers deny, or `nil`
    /// (``AuditReport/DriftReport/inconsistency(minimumGroupSize:groupCount:)``).
    func inconsistency(_ settings: AuditReport.DriftSettings) -> String? {
        if kind != .psi, let baseline, let current, let change, baseline.isFinite, current.isFinite, change.isFinite,
           abs((current - baseline) - change) > 1e-9 * max(1, abs(current), abs(baseline)) {
            return "has change \(change), but its values \(baseline) → \(current) change by \(current - baseline)"
        }
        guard verdict == .pass || verdict == .fail else { return nil }
        guard let change, change.isFinite, tolerance.isFinite else {
            return "says \(verdict.rawValue), but has no finite change to judge"
        }
        let measured = kind == .psi ? change : abs(change)
        if verdict == .pass {
            return measured <= tolerance ? nil : "says pass, but its change \(change) is beyond its tolerance \(tolerance)"
        }
        if measured <= tolerance { return "says fail, but its change \(change) is within its tolerance \(tolerance)" }
        if kind == .psi {
            let alpha = Self.alpha(settings)
            guard let pValue, pValue < alpha else {
                return "says fail, but its p-value \(pValue.map { "\($0)" } ?? "(none)") is not below \(alpha): noise was not ruled out"
            }
            return nil
        }
        guard let interval, interval.count == 2, interval[0] > 0 || interval[1] < 0 else {
            return "says fail, but its interval does not exclude no change: noise was not ruled out"
        }
        return nil
    }
}
