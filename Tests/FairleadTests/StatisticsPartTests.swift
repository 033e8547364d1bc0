import FairleadCore
import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead

/// `fairlead stats` and `audit --from-stats`: the statistics parts of disjoint shards
/// merge, in any order and grouping, into an audit equal to the audit of their rows.
@Suite struct StatisticsPartTests {
    /// The leads sample's header and rows.
    static let leads: (header: String, rows: [String]) = {
        let text = (try? String(contentsOfFile: AuditFixtures.leads, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return (lines.first ?? "", Array(lines.dropFirst()))
    }()

    /// The golden profile with a second threshold, bootstrap intervals and a rule on
    /// every attribute; its statistics come from groups alone.
    static func profile(path: String = AuditFixtures.leads) -> AuditProfile {
        var profile = AuditFixtures.goldenProfile(bootstrap: 200)
        profile.data.path = path
        profile.decisions.append(.init(name: "threshold_0.5", kind: .threshold(0.5)))
        profile.rules.append(.init(metric: .equalizedOddsDifference, comparison: .atMost, bound: 0.15))
        return profile
    }

    /// Writes each shard's rows (with the header) to its own file in a fresh folder.
    static func shards(_ rows: [[String]], header: String = leads.header) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try rows.enumerated().map { index, shard in
            let path = folder.appendingPathComponent("shard-\(index).csv").path
            try ([header] + shard).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static func parts(_ paths: [String], profile: AuditProfile) throws -> [(file: String, part: StatisticsPart)] {
        try paths.map { path in
            (file: path + ".stats.json", part: try Audit(profile: profile, dataPath: path, threads: 2).statisticsPart())
        }
    }

    /// The report's JSON without what differs by construction between an audit of rows
    /// and one from statistics: the time, the data's description, the notes and the
    /// sections that need the rows.
    static func comparable(_ report: AuditReport) throws -> Any {
        var object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        for key in ["generated_at", "data", "notes", "queue", "score_distribution"] { object[key] = nil }
        return object
    }

    @Test func anAuditFromShardsEqualsTheAuditOfTheirRows() throws {
        let rows = Self.leads.rows
        #expect(rows.count == 5000)
        let paths = try Self.shards([Array(rows[0..<1200]), Array(rows[1200..<3100]), Array(rows[3100...])])
        let profile = Self.profile()
        let full = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let merged = try Audit.fromStatistics(profile: profile, parts: Self.parts(paths, profile: profile),
                                              clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try Self.comparable(full), try Self.comparable(merged)).isEmpty)
        #expect(merged.status == full.status && merged.status == .fail)
        #expect(merged.findings.count == full.findings.count && merged.findings.count > 4)
        #expect(merged.rows == full.rows)
        #expect(merged.data.shards?.map(\.rowsRead).sorted() == [1200, 1900, 1900])
        #expect(merged.data.shards?.map(\.sha256).sorted() == paths.map { (try? ContentDigest.sha256(ofFile: $0).hex) ?? "" }.sorted())
        #expect(merged.queue == nil && merged.scoreDistribution == nil)
        #expect(merged.notes?.last?.contains("lead-queue and score-distribution sections need the rows") == true)
        let value = merged.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["selection_rate"]?.value
        #expect(value != nil && value == full.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["selection_rate"]?.value)
    }

    /// Shards that each lack some groups: the merged levels are the union, in the order a
    /// read of all rows gives, and groups no shard has stay listed with n = 0.
    @Test func shardsWithDifferentGroupsMergeIntoTheWholeDatasGroups() throws {
        let header = Self.leads.header.split(separator: ",").map(String.init)
        let ethnicity = try #require(header.firstIndex(of: "ethnicity"))
        let byEthnicity = Dictionary(grouping: Self.leads.rows) { $0.split(separator: ",", omittingEmptySubsequences: false)[ethnicity] }
        let names = byEthnicity.keys.sorted()
        #expect(names.count >= 4)
        // One shard per ethnicity: no shard sees another's level.
        let paths = try Self.shards(names.map { byEthnicity[$0]! })
        let profile = Self.profile()
        let parts = try Self.parts(paths, profile: profile)
        #expect(parts.allSatisfy { $0.part.decisions[0].groupings[2].levels == [[String($0.part.decisions[0].groupings[2].groups[0].group[0])]] })
        let full = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let merged = try Audit.fromStatistics(profile: profile, parts: parts, clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try Self.comparable(full), try Self.comparable(merged)).isEmpty)
        #expect(merged.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups.keys.sorted() == names.map(String.init))
    }

    /// Binned ages: levels merge in the bins' order (not alphabetical), and a missing
    /// value in one shard gives the `unknown` group of the whole.
    @Test func binnedAttributesMergeInTheBinsOrder() throws {
        let header = "score,label,age,region"
        var random = SplitMix64(seed: 11)
        var rows: [String] = []
        for index in 0..<600 {
            let age = index % 97 == 0 ? "" : String(18 + Int(random.next() % 60))
            let score = Double(random.next() % 1000) / 1000
            let label = random.next() % 3 == 0 ? 1 : 0
            rows.append("\(score),\(label),\(age),\(["north", "south", "east"][Int(random.next() % 3)])")
        }
        // Young leads in one shard, older ones in the other; the missing ages in the first.
        let young = rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[2].isEmpty || Int($0.split(separator: ",")[2])! < 40 }
        let old = rows.filter { !young.contains($0) }
        let paths = try Self.shards([old, young], header: header)
        let profile = AuditProfile(
            name: "bins", data: .init(path: paths[0], score: "score", label: "label", scoreRange: 0...1),
            decisions: [.init(name: "threshold_0.4", kind: .threshold(0.4))],
            sensitive: [.init(column: "age", bins: SensitiveBins(edges: [25, 35, 45, 55])), .init(column: "region")],
            intersections: [["age", "region"]],
            rules: [.init(metric: .disparateImpact, comparison: .atLeast, bound: 0.8)],
            settings: .init(minimumGroupSize: 5, intervalLevel: 0.95, bootstrapReplicates: 100, seed: 3))
        let all = try Self.shards([rows], header: header)[0]
        let full = try Audit(profile: profile, dataPath: all, clock: AuditFixtures.fixedClock).run()
        let merged = try Audit.fromStatistics(profile: profile, parts: Self.parts(paths, profile: profile),
                                              clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try Self.comparable(full), try Self.comparable(merged)).isEmpty)
        let part = try Self.parts([paths[0]], profile: profile)[0].part
        #expect(part.decisions[0].groupings[0].levels == [["35-44", "45-54", "55+"]])
        let merging = try StatisticsPart.merged(Self.parts(paths, profile: profile))
        #expect(merging.decisions[0].groupings[0].levels == [["<25", "25-34", "35-44", "45-54", "55+"]])
        #expect(merging.decisions[0].groupings[0].hasMissing == [true])
        #expect(merged.decisions["threshold_0.4"]?.attributes["age"]?.groups["unknown"]?.count == 7)
    }

    /// Merging is order-free (the same bytes for any order of the parts) and associative
    /// (counts exactly, sums to 1e-12), over random splits of the rows.
    /// With `data.label.positive`, a shard without a positive label is a part like any
    /// other (a week without a win), and the parts together audit as the rows do; but
    /// statistics in which no row is positive — a typo such as `Won` for `won` — complete
    /// no audit, as the audit of the rows refuses a value its label column lacks.
    @Test func aShardWithoutAPositiveLabelMergesButNoPositiveAtAllIsRefused() throws {
        let header = Self.leads.header.split(separator: ",").map(String.init)
        let converted = try #require(header.firstIndex(of: "converted"))
        let rows = Self.leads.rows
        let negatives = rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[converted] == "0" }
        let positives = rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[converted] == "1" }
        #expect(negatives.count > 1000 && positives.count > 500)
        let paths = try Self.shards([negatives, positives, rows])
        var profile = Self.profile(path: paths[2])
        profile.data.labelPositive = ["1"]
        let parts = try Self.parts(Array(paths[0..<2]), profile: profile)
        let full = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let merged = try Audit.fromStatistics(profile: profile, parts: parts, clock: AuditFixtures.fixedClock)
        #expect(merged.status == full.status && merged.rows.used == full.rows.used)
        let rate = { (report: AuditReport) in
            report.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["true_positive_rate"]?.value
        }
        #expect(rate(merged) != nil && abs((rate(merged) ?? 0) - (rate(full) ?? 1)) < 1e-12)
        let alone = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: profile, parts: [parts[0]])
        }
        #expect(alone?.message.hasPrefix("no row's label is one of data.label.positive (\"1\") in the \(negatives.count) rows") == true,
                "\(alone?.message ?? "")")
        // The audit of that shard's rows refuses it too, naming the values it saw.
        let ofRows = #expect(throws: FairleadError.self) { try Audit(profile: profile, dataPath: paths[0]).run() }
        #expect(ofRows?.message.contains("the label column has no value \"1\"") == true, "\(ofRows?.message ?? "")")
    }

    /// Counts past 2⁵³ — a shard's rows or bytes, or all parts' together — are refused
    /// with the file named, not added until they overflow (a crash) or lose exactness.
    @Test func rowsAndBytesPastTwoToTheFiftyThirdAreRefused() throws {
        let path = try Self.shards([Array(Self.leads.rows[0..<50])])[0]
        let profile = Self.profile(path: path)
        let part = try Audit(profile: profile, dataPath: path).statisticsPart()
        var huge = part
        huge.data[0].bytes = Int.max
        let bytes = #expect(throws: FairleadError.self) {
            try StatisticsPart.decode(try huge.jsonData(), file: "huge.json")
        }
        #expect(bytes?.message.contains("rows_read or bytes above 2^53 (9007199254740992)") == true, "\(bytes?.message ?? "")")
        // Parts each within the bound whose sum is not: 1,100 of 2⁵³ / 1,000 bytes each.
        var large = part
        large.data[0].bytes = StatisticsPart.largestCount / 1000
        let many = (0..<1100).map { index -> (file: String, part: StatisticsPart) in
            var copy = large
            copy.data[0].sha256 = String(repeating: "0", count: 60) + String(format: "%04d", index)
            return (file: "part-\(index).json", part: copy)
        }
        let sum = #expect(throws: FairleadError.self) { try StatisticsPart.merged(many) }
        #expect(sum?.message == "the parts up to part-1000.json hold more than 2^53 (9007199254740992) bytes in all", "\(sum?.message ?? "")")
    }

    /// A part is read strictly: a key given twice (the decoder kept the first, Python and
    /// jq the last — a reviewer would read other numbers than the audit used), a key no
    /// field reads (at any depth), and broken JSON are refused, with a line and column
    /// where there is one.
    /// The JSON values of `json` (objects, arrays and scalars), counted by Foundation's
    /// parser, independently of the scan that plans a part's memory.
    static func jsonValues(_ json: Data) throws -> Int {
        func count(_ value: Any) -> Int {
            if let object = value as? [String: Any] { return 1 + object.values.reduce(0) { $0 + count($1) } }
            if let array = value as? [Any] { return 1 + array.reduce(0) { $0 + count($1) } }
            return 1
        }
        return count(try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]))
    }

    /// The bytes of `json`'s string tokens (keys included, with their quotes and escapes as
    /// written), counted by a plain walk over quotes and backslashes rather than by the scan
    /// that plans a part's memory (a regular expression gave up on a 1 MiB string).
    static func jsonTextBytes(_ json: Data) throws -> Int {
        var total = 0, inString = false, escaped = false, start = 0
        for (index, byte) in json.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    total += index - start + 1
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                start = index
            }
        }
        return total
    }

    /// The memory a part is planned at: 64 bytes a JSON value, 4 a byte of its strings.
    static func plannedBytes(_ json: Data) throws -> Int {
        try jsonValues(json) * StatisticsPartMemory.bytesPerValue + jsonTextBytes(json) * StatisticsPartMemory.bytesPerTextByte
    }

    /// A part is planned at 64 bytes for each of its JSON values and 4 for each byte of its
    /// strings, beside the parts read before it, against the memory budget: a compact part
    /// costs as much as a pretty one (values, not bytes, decide), a long string costs by
    /// its length, and the part that takes the plan past the budget is refused naming the
    /// limit.
    /// A grouping with more levels than max_groups allows is refused for the limit from its
    /// levels, before its groups are decoded: a part whose groups would not decode (a count
    /// that is text) is refused for its group count, not for the group.
    @Test func aPartsGroupCountIsCheckedBeforeItsGroupsAreDecoded() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<400])])
        let part = try Self.parts(paths, profile: Self.profile(path: paths[0]))[0].part
        var object = try #require(try JSONSerialization.jsonObject(with: try part.jsonData()) as? [String: Any])
        var decisions = try #require(object["decisions"] as? [[String: Any]])
        var groupings = try #require(decisions[0]["groupings"] as? [[String: Any]])
        var levels = try #require(groupings[0]["levels"] as? [[String]])
        var groups = try #require(groupings[0]["groups"] as? [[String: Any]])
        levels[0] += (0..<10).map { "z\($0)" }
        groups[0]["tp"] = "not a count"
        groupings[0]["levels"] = levels
        groupings[0]["groups"] = groups
        decisions[0]["groupings"] = groupings
        object["decisions"] = decisions
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var limits = Limits()
        limits.maxGroups = 10
        var memory = StatisticsPartMemory(limits: limits)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(json, file: "a.json", memory: &memory) }
        #expect(error?.limit == .maxGroups)
        #expect(error?.location == SourceLocation(file: "a.json"))
        let attribute = try #require((groupings[0]["attributes"] as? [String])?.first)
        #expect(error?.message.hasPrefix("decision \(part.decisions[0].name), \(attribute): \(attribute) has ") == true, "\(String(describing: error?.message))")
        // Within the limit, the group is what is wrong.
        var within = StatisticsPartMemory(limits: Limits())
        let typed = #expect(throws: FairleadError.self) { try StatisticsPart.decode(json, file: "a.json", memory: &within) }
        #expect(typed?.limit == nil && typed?.message.hasPrefix("wrong type at ") == true, "\(String(describing: typed?.message))")
    }

    @Test func partsArePlannedAgainstTheMemoryBudget() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<400]), Array(Self.leads.rows[400..<900])])
        let profile = Self.profile(path: paths[0])
        let parts = try Self.parts(paths, profile: profile)
        let pretty = try parts.map { try $0.part.jsonData() }
        let values = try pretty.map(Self.jsonValues)
        #expect(values[0] > 1_000 && values[1] > 1_000, "\(values)")
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: pretty[0]),
                                                 options: [.sortedKeys, .withoutEscapingSlashes])
        let compactValues = try Self.jsonValues(compact)
        #expect(compact.count < pretty[0].count && compactValues == values[0])

        // Exactly the plan fits; a byte less does not, whichever way the part is written.
        for json in [pretty[0], compact] {
            let planned = try Self.plannedBytes(json)
            var limits = Limits()
            limits.memoryBudgetBytes = planned
            var fits = StatisticsPartMemory(limits: limits)
            #expect(try StatisticsPart.decode(json, file: "a.json", memory: &fits).rowsRead == 400)
            let textBytes = try Self.jsonTextBytes(json)
            #expect(fits.values == values[0] && fits.textBytes == textBytes && fits.parts == 1)
            limits.memoryBudgetBytes -= 1
            var short = StatisticsPartMemory(limits: limits)
            let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(json, file: "a.json", memory: &short) }
            #expect(error?.limit == .memoryBudgetBytes)
            #expect(error?.location?.file == "a.json")
            #expect(error?.message.hasPrefix("the statistics part holds \(values[0]) JSON values and \(textBytes) bytes of text, planned at 64 bytes a value and 4 a byte of text") == true,
                    "\(error?.message ?? "")")
            #expect(short.values == 0 && short.parts == 0)
        }

        // A long string (a shard's source) costs by its bytes.
        var object = try #require(try JSONSerialization.jsonObject(with: pretty[0]) as? [String: Any])
        var shards = try #require(object["data"] as? [[String: Any]])
        shards[0]["source"] = String(repeating: "x", count: 1 << 20)
        object["data"] = shards
        let longJSON = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let longPlan = try Self.plannedBytes(longJSON)
        #expect(longPlan > (1 << 22))
        var tight = Limits()
        tight.memoryBudgetBytes = try Self.plannedBytes(pretty[0]) + (1 << 21)
        var tightMemory = StatisticsPartMemory(limits: tight)
        let longError = #expect(throws: FairleadError.self) { try StatisticsPart.decode(longJSON, file: "long.json", memory: &tightMemory) }
        #expect(longError?.limit == .memoryBudgetBytes, "\(String(describing: longError))")

        // Two parts: the second is refused when the two together are planned above the budget.
        var limits = Limits()
        limits.memoryBudgetBytes = try Self.plannedBytes(pretty[0]) + Self.plannedBytes(pretty[1]) - 1
        var memory = StatisticsPartMemory(limits: limits)
        _ = try StatisticsPart.decode(pretty[0], file: "a.json", memory: &memory)
        let second = #expect(throws: FairleadError.self) { try StatisticsPart.decode(pretty[1], file: "b.json", memory: &memory) }
        #expect(second?.location?.file == "b.json" && second?.limit == .memoryBudgetBytes)
        #expect(second?.message.hasPrefix("with this part, the 2 statistics parts hold \(values[0] + values[1]) JSON values") == true,
                "\(second?.message ?? "")")
        limits.memoryBudgetBytes += 1
        var enough = StatisticsPartMemory(limits: limits)
        for (json, file) in zip(pretty, ["a.json", "b.json"]) { _ = try StatisticsPart.decode(json, file: file, memory: &enough) }
        #expect(enough.values == values[0] + values[1] && enough.parts == 2)
    }

    /// JSON that is no object (an array) is refused as a part, not read as a query result
    /// that lacks its columns.
    @Test func aJSONArrayIsRefusedAsAPart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-array-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try " \n[{\"format\": \"fairlead-statistics\"}]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.read(path, profile: Self.profile()) }
        #expect(error?.message.hasPrefix("not a JSON object with \"format\" and \"version\"") == true, "\(error?.message ?? "")")
    }

    @Test func duplicateAndUnknownKeysAndBrokenJSONAreRefused() throws {
        let path = try Self.shards([Array(Self.leads.rows[0..<80])])[0]
        let part = try Audit(profile: Self.profile(path: path), dataPath: path).statisticsPart()
        let json = String(decoding: try part.jsonData(), as: UTF8.self)
        #expect(try StatisticsPart.decode(Data(json.utf8), file: "p.json").rowsRead == 80)
        func refusal(_ text: String) -> FairleadError? {
            #expect(throws: FairleadError.self) { try StatisticsPart.decode(Data(text.utf8), file: "p.json") }
        }
        let twice = json.replacingOccurrences(of: "\"labelled\" : true", with: "\"labelled\" : false,\n  \"labelled\" : true")
        #expect(twice != json)
        let duplicate = refusal(twice)
        #expect(duplicate?.message.hasPrefix("not a statistics part: the key labelled is given twice in one object") == true, "\(duplicate?.message ?? "")")
        #expect(duplicate?.location?.line != nil && duplicate?.location?.column != nil)
        let topLevel = refusal(json.replacingOccurrences(of: "\"labelled\" : true", with: "\"labelled\" : true,\n  \"padding\" : [0, 0, 0]"))
        #expect(topLevel?.message.hasPrefix("not a statistics part: unknown key padding") == true, "\(topLevel?.message ?? "")")
        let nested = refusal(json.replacingOccurrences(of: "\"rows_read\" :", with: "\"rows_raed\" : 1,\n      \"rows_read\" :"))
        #expect(nested?.message.hasPrefix("not a statistics part: unknown key data[0].rows_raed") == true, "\(nested?.message ?? "")")
        let escapedTwice = refusal(json.replacingOccurrences(of: "\"labelled\" : true", with: "\"labelled\" : true, \"lab\\u0065lled\" : false"))
        #expect(escapedTwice?.message.contains("the key labelled is given twice") == true, "\(escapedTwice?.message ?? "")")
        let truncated = refusal(String(json.prefix(json.count / 2)))
        #expect(truncated?.message.hasPrefix("not valid JSON: ") == true && truncated?.location?.line != nil, "\(String(describing: truncated))")
        let outOfRange = refusal(json.replacingOccurrences(of: "\"rows_read\" : 80", with: "\"rows_read\" : 8e400"))
        #expect(outOfRange?.message.hasPrefix("not valid JSON: the number 8e400 is beyond a double's range") == true,
                "\(String(describing: outOfRange))")
        #expect(outOfRange?.location?.line ?? 0 > 1)
    }

    /// A count past `Int`'s range is JSON within a double's range: the decoder refused it
    /// as "unreadable value at the top level", with no line, column or key.
    @Test func aCountPastIntsRangeIsRefusedAtItsLineColumnAndKey() throws {
        let path = try Self.shards([Array(Self.leads.rows[0..<80])])[0]
        let part = try Audit(profile: Self.profile(path: path), dataPath: path).statisticsPart()
        let json = String(decoding: try part.jsonData(), as: UTF8.self)
        let lines = json.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("\"rows_read\" : 80") })
        let column = lines[line].distance(from: lines[line].startIndex, to: try #require(lines[line].firstIndex(of: "8"))) + 1
        let huge = json.replacingOccurrences(of: "\"rows_read\" : 80", with: "\"rows_read\" : 100000000000000000000")
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.decode(Data(huge.utf8), file: "p.json") }
        #expect(error?.message == "expected a whole number from -9223372036854775808 to 9223372036854775807, found 100000000000000000000")
        #expect(error?.location == SourceLocation(file: "p.json", line: line + 1, column: column, field: "data[0].rows_read"))
    }

    /// The keys a part's JSON may hold are every key a part is written with: a part with
    /// every optional section (a grid's histograms, consent, scores) and a spec with every
    /// optional field.
    @Test func theKnownKeysAreTheKeysPartsAreWrittenWith() throws {
        let path = try Self.shards([Array(Self.leads.rows[0..<200])])[0]
        var profile = Self.profile(path: path)
        profile.statistics = try AuditProfile.parse("name: g\ndata: {path: x.csv, score: s}\nsensitive: [a]\ndecisions: [{threshold: 0.5}]\nstatistics: {score_grid: {bins: 10}}\n").statistics
        var part = try Audit(profile: profile, dataPath: path).statisticsPart()
        #expect(part.histograms != nil && part.scores != nil)
        part.withoutConsent = 0
        profile.data.weight = "w"
        profile.data.labelPositive = ["1"]
        profile.data.missingMarkers = ["NA"]
        profile.data.scoreRange = 0...1
        profile.data.consent = try AuditProfile.parse("name: c\ndata: {path: x.csv, score: s, consent: {column: c, purpose: p}}\nsensitive: [a]\ndecisions: [{threshold: 0.5}]\n").data.consent
        profile.sensitive.append(.init(column: "age", bins: .init(edges: [30, 50])))
        var race = AuditProfile.SensitiveSpec(column: "race")
        race.oneHot = [.init(group: "a", column: "race_a"), .init(group: "b", column: "race_b")]
        profile.sensitive.append(race)
        part.profile.spec = StatisticsSpec(profile)
        var keys: Set<String> = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                keys.formUnion(object.keys)
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: try part.jsonData()))
        #expect(keys.subtracting(StatisticsPart.knownJSONKeys).isEmpty, "\(keys.subtracting(StatisticsPart.knownJSONKeys).sorted())")
        #expect(keys.count > 50, "\(keys.count)")
    }

    @Test func mergingIsOrderFreeAndAssociative() throws {
        var random = SplitMix64(seed: 2026)
        let profile = Self.profile()
        let rows = Self.leads.rows
        for _ in 0..<3 {
            var cuts = Set<Int>()
            while cuts.count < 3 { cuts.insert(1 + Int(random.next() % UInt64(rows.count - 1))) }
            let bounds = [0] + cuts.sorted() + [rows.count]
            let paths = try Self.shards((0..<4).map { Array(rows[bounds[$0]..<bounds[$0 + 1]]) })
            let parts = try Self.parts(paths, profile: profile)
            let reference = try StatisticsPart.merged(parts).jsonData()
            for order in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
                #expect(try StatisticsPart.merged(order.map { parts[$0] }).jsonData() == reference)
            }
            let left = try StatisticsPart.merged([(file: "ab", part: StatisticsPart.merged(Array(parts[0...1]))), parts[2], parts[3]])
            let right = try StatisticsPart.merged([parts[0], (file: "bcd", part: StatisticsPart.merged(Array(parts[1...3])))])
            let (l, r) = (try JSONSerialization.jsonObject(with: left.jsonData()), try JSONSerialization.jsonObject(with: right.jsonData()))
            #expect(JSONDifferences.of(l, r).isEmpty)
            #expect(left.rowsRead == rows.count && right.data.count == 4)
            // Counts, as opposed to sums, agree exactly.
            for (a, b) in zip(left.decisions.flatMap(\.groupings).flatMap(\.groups), right.decisions.flatMap(\.groupings).flatMap(\.groups)) {
                #expect(a.group == b.group && [a.tp[0], a.fp[0], a.tn[0], a.fn[0]] == [b.tp[0], b.fp[0], b.tn[0], b.fn[0]])
            }
        }
    }

    @Test func aPartRoundTripsThroughItsJSON() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<500])])
        let part = try Self.parts(paths, profile: Self.profile())[0].part
        let decoded = try StatisticsPart.decode(part.jsonData(), file: "part.json")
        #expect(decoded == part)
        #expect(decoded.format == "fairlead-statistics" && decoded.version == 2 && decoded.rowsRead == 500)
    }

    // MARK: - Refusals

    @Test func partsOfAnotherProfileAreRefusedSayingWhatDiffers() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<500]), Array(Self.leads.rows[500..<900])])
        var other = Self.profile()
        other.decisions[1].kind = .threshold(0.55)
        let parts = try Self.parts([paths[0]], profile: Self.profile()) + Self.parts([paths[1]], profile: other)
        let error = #expect(throws: FairleadError.self) { try StatisticsPart.merged(parts) }
        #expect(error?.message.contains("was made under a different profile") == true)
        #expect(error?.message.contains("decisions is") == true)
        let completing = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: Self.profile(), parts: Array(parts[1...]))
        }
        #expect(completing?.message.contains("threshold 0.55") == true)
        // Rules, references and interval settings are applied when completing: not part of the spec.
        var rulesOnly = Self.profile()
        rulesOnly.rules = []
        rulesOnly.settings.bootstrapReplicates = 0
        #expect(StatisticsSpec(rulesOnly) == StatisticsSpec(Self.profile()))
        // A lead-queue rule added when completing asks for the default grid: said, with the rule.
        var queueRule = Self.profile()
        queueRule.rules.append(try AuditProfile.rule("auc_difference <= 0.1", source: "--rule"))
        let grid = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: queueRule, parts: Array(parts[..<1]))
        }
        #expect(grid?.message.contains("(no statistics.score_grid is declared here: the lead-queue rule 'auc_difference <= 0.1' asks for the default grid of 1000 cells, which ") == true,
                "\(grid?.message ?? "")")
    }

    /// Missing markers are a set: the default written out, or a list in another order or
    /// with a marker twice, is the same spec (parts did not merge, "data.missing_markers is
    /// null in" one of them). Another set differs, the default shown as its markers.
    @Test func missingMarkersAreComparedAsASet() {
        var written = Self.profile()
        written.data.missingMarkers = ["null", "NaN", "NA", "", "NA"]
        #expect(StatisticsSpec(written) == StatisticsSpec(Self.profile()))
        var custom = Self.profile(), reordered = Self.profile()
        custom.data.missingMarkers = ["-", "NA"]
        reordered.data.missingMarkers = ["NA", "-", "-"]
        #expect(StatisticsSpec(custom) == StatisticsSpec(reordered))
        #expect(StatisticsSpec(Self.profile()).difference(from: StatisticsSpec(custom), mine: "a.json", theirs: "b.json")
                == "data.missing_markers is [\"\",\"NA\",\"NaN\",\"null\"] in a.json and [\"-\",\"NA\"] in b.json")
    }

    /// A part's spec is untrusted text: a "different profile" message quotes each side
    /// clipped (a 1 MB score name was echoed whole).
    @Test func aSpecDifferenceIsQuotedClipped() {
        var hostile = Self.profile()
        hostile.data.score = String(repeating: "X", count: 1_000_000)
        let difference = StatisticsSpec(Self.profile()).difference(from: StatisticsSpec(hostile), mine: "a.json", theirs: "b.json")
        #expect(difference?.hasPrefix("data.score is \"score\" in a.json and \"" + String(repeating: "X", count: 119)) == true)
        #expect((difference?.count ?? .max) < 400, "\(difference?.prefix(300) ?? "")")
    }

    @Test func theSameShardTwiceIsRefused() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<300])])
        let part = try Self.parts(paths, profile: Self.profile())[0]
        let error = #expect(throws: FairleadError.self) {
            try StatisticsPart.merged([part, (file: "copy.json", part: part.part)])
        }
        #expect(error?.message.contains("its 300 rows would count twice") == true)
    }

    @Test func profilesThatNeedTheRowsAreRefusedWithEveryReason() throws {
        var profile = Self.profile()
        profile.decisions.append(.init(name: "top_100", kind: .topCount(100)))
        profile.rules.append(.init(metric: .auc, comparison: .atLeast, bound: 0.6))
        profile.rules.append(.init(metric: .ndkl, comparison: .atMost, bound: 0.1))
        let reasons = StatisticsSupport.obstacles(profile)
        #expect(reasons.count == 2)
        // A rule on AUC is computed from the score grid; NDKL needs positions within the top k.
        #expect(reasons[0].contains("decision 'top_100'") && reasons[1].contains("rule 'ndkl <= 0.1': ndkl depends on each lead's position"))
        #expect(StatisticsSupport.obstacles(Self.profile()).isEmpty)
        // A rule on a metric of the rows names its family, with its article.
        var individual = Self.profile()
        individual.rules.append(.init(metric: .consistency, comparison: .atLeast, bound: 0.8))
        #expect(StatisticsSupport.obstacles(individual) == ["rule 'consistency >= 0.8' is an individual metric, computed from the rows"],
                "\(StatisticsSupport.obstacles(individual))")
        let error = #expect(throws: FairleadError.self) {
            try Audit(profile: profile).statisticsPart()
        }
        #expect(error?.kind == .invalidProfile)
    }

    /// The sample's rows with a consent column.
    static let consentLeads: (header: String, rows: [String]) = (
        leads.header + ",consent", leads.rows.enumerated().map { $1 + "," + ConsentFixture.value($0) })

    /// `data.consent` in parts: each shard's part counts its rows without consent, parts
    /// add them, and the audit from the parts equals the audit of the rows — row
    /// accounting, `data.consent`, groups and findings. A shard where nobody consents
    /// still gives a part.
    @Test func theConsentFilterOfPartsEqualsTheAuditOfTheRows() throws {
        let rows = Self.consentLeads.rows
        let refusing = rows.enumerated().filter { $0.offset % 5 == 4 }.map(\.element)
        let others = rows.enumerated().filter { $0.offset % 5 != 4 }.map(\.element)
        let paths = try Self.shards([Array(others[0..<1500]), Array(others[1500...]), Array(refusing[0..<200]), Array(refusing[200...])],
                                    header: Self.consentLeads.header)
        let all = try Self.shards([rows], header: Self.consentLeads.header)[0]
        var profile = Self.profile(path: all)
        profile.data.consent = .init(column: "consent", purpose: "fairness_audit")
        let full = try Audit(profile: profile, clock: AuditFixtures.fixedClock).run()
        let parts = try Self.parts(paths, profile: profile)
        func refusals(_ rows: ArraySlice<String>) -> Int {
            rows.filter { row in !row.hasSuffix(",TRUE") && !row.contains("airness_") }.count
        }
        let expected: [Int?] = [refusals(others[0..<1500]), refusals(others[1500...]), 200, refusing.count - 200]
        #expect(parts.map(\.part.withoutConsent) == expected)
        #expect(parts[2].part.rowsCounted == 0 && parts[2].part.rowsRead == 200)
        let merged = try Audit.fromStatistics(profile: profile, parts: parts, clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try Self.comparable(full), try Self.comparable(merged)).isEmpty)
        #expect(merged.rows == full.rows && full.rows.read == 5000)
        let excluded = try #require(full.rows.excluded["no_consent"])
        #expect(excluded > 1000 && excluded < 4000)
        #expect(merged.data.consent == full.data.consent && merged.data.consent?.excluded == excluded)
        #expect(merged.data.columns.contains("consent"))
        #expect(merged.data.shards?.map(\.rowsRead).reduce(0, +) == 5000)
        // One part of all four, through its JSON, gives the same audit.
        let whole = try StatisticsPart.merged(parts)
        #expect(whole.withoutConsent == excluded)
        let decoded = try StatisticsPart.decode(whole.jsonData(), file: "whole.json")
        let again = try Audit.fromStatistics(profile: profile, parts: [(file: "whole.json", part: decoded)], clock: AuditFixtures.fixedClock)
        #expect(JSONDifferences.of(try Self.comparable(full), try Self.comparable(again)).isEmpty)

        // The consent filter is in the statistics spec: parts made without it do not merge with these.
        let without = try Self.parts([paths[0]], profile: Self.profile(path: all))
        let error = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: profile, parts: without)
        }
        #expect(error?.message.contains("data.consent is {\"column\":\"consent\",\"purpose\":\"fairness_audit\"} in the profile here (") == true
                && error?.message.contains(", with its flags) and null in \(paths[0]).stats.json") == true,
                "\(error?.message ?? "")")
        // Parts of nobody who consents give no audit, as the audit of their rows does not.
        let nobody = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: profile, parts: Array(parts[2...]))
        }
        #expect(nobody?.message.contains("none of the \(refusing.count) rows read consents to the purpose 'fairness_audit'") == true)
        // The count is checked like every other: at most the rows read.
        var altered = parts[0].part
        altered.withoutConsent = 5000
        let tooMany = #expect(throws: FairleadError.self) { try StatisticsPart.decode(altered.jsonData(), file: "part.json") }
        #expect(tooMany?.message.contains("no_consent is 5000, but must be between 0 and") == true)
        altered.withoutConsent = nil
        let missing = #expect(throws: FairleadError.self) { try StatisticsPart.decode(altered.jsonData(), file: "part.json") }
        #expect(missing?.message.contains("no no_consent count") == true)
    }

    /// An invalid consent value stops `fairlead stats` as it stops the audit of the rows,
    /// at its file, line and column.
    @Test func anInvalidConsentValueStopsTheStatisticsAtItsLine() throws {
        var rows = Array(Self.consentLeads.rows[0..<100])
        rows[41] = rows[41].split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") + ",perhaps?"
        let path = try Self.shards([rows], header: Self.consentLeads.header)[0]
        var profile = Self.profile(path: path)
        profile.data.consent = .init(column: "consent", purpose: "fairness_audit")
        let error = #expect(throws: FairleadError.self) { try Audit(profile: profile).statisticsPart() }
        #expect(error?.message.contains("invalid consent value 'perhaps?'") == true)
        #expect(error?.location?.line == 43 && error?.location?.file == path)
    }

    /// Parts come from elsewhere: every number and relation is checked before use.
    @Test(arguments: [
        ("\"format\" : \"fairlead-statistics\"", "\"format\" : \"something-else\"", "not a statistics part"),
        ("\"version\" : 2", "\"version\" : 7", "written by a newer fairlead"),
        ("\"rows_read\" : 400", "\"rows_read\" : 401", "every row read is counted once"),
        ("\"missing_score\" : 0", "\"missing_score\" : -1", "a negative excluded count"),
        ("\"missing_score\" : 0", "\"missing_score\" : \"zero\"", "wrong type"),
        ("\"threshold 0.3\"", "\"threshold 0.31\"", "not the digest of profile.spec"),
    ])
    func alteredPartsAreRefused(_ replacement: (String, String, String)) throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<400])])
        let part = try Self.parts(paths, profile: Self.profile())[0].part
        let text = String(decoding: try part.jsonData(), as: UTF8.self)
        #expect(text.contains(replacement.0))
        let altered = text.replacingOccurrences(of: replacement.0, with: replacement.1)
        let error = #expect(throws: FairleadError.self) {
            try StatisticsPart.decode(Data(altered.utf8), file: "part.json")
        }
        #expect(error?.message.contains(replacement.2) == true, "\(error?.message ?? "")")
        #expect(error?.location?.file == "part.json")
    }

    @Test func numbersThatCannotBeStatisticsAreRefused() throws {
        let paths = try Self.shards([Array(Self.leads.rows[0..<400])])
        let part = try Self.parts(paths, profile: Self.profile())[0].part
        var cases: [(StatisticsPart, String)] = []
        var fractional = part
        fractional.decisions[0].groupings[0].groups[0].tp[0] += 0.5
        cases.append((fractional, "whole number"))
        var short = part
        short.decisions[0].groupings[0].groups[0].fp.removeLast()
        cases.append((short, "five finite numbers"))
        var negative = part
        negative.decisions[0].groupings[0].groups[0].tn[1] = -3
        cases.append((negative, "weights must be ≥ 0"))
        var twice = part
        twice.decisions[0].groupings[0].groups.append(twice.decisions[0].groupings[0].groups[0])
        cases.append((twice, "listed twice"))
        var unlabelled = part
        unlabelled.labelled = false
        cases.append((unlabelled, "no labels"))
        var stranger = part
        stranger.decisions[0].groupings[0].groups[0].group = ["martian"]
        cases.append((stranger, "not among the listed levels"))
        var noShard = part
        noShard.data = []
        cases.append((noShard, "lists no shard"))
        // Counts past what a double holds exactly, and excluded counts whose sum overflows.
        var huge = part
        huge.decisions[0].groupings[0].groups[0].tp[0] = 1e19
        cases.append((huge, "expected a whole number from 0 to 2^53"))
        var overflowing = part
        overflowing.decisions[0].groupings[0].excluded = .init(missingScore: Int.max, missingPrediction: 0, missingLabel: Int.max,
                                                               missingSensitive: 0)
        cases.append((overflowing, "add up to more than"))
        // Sums no rows could have: unweighted rows weigh 1 each; Σw·score within the scores'
        // range times the scored weight.
        var weighty = part
        weighty.decisions[0].groupings[0].groups[0].tn[2] = 1e308
        cases.append((weighty, "unweighted rows, so Σw and Σw² must be"))
        var scoreSum = part
        scoreSum.decisions[0].groupings[0].groups[0].fn[4] = 1e9
        cases.append((scoreSum, "outside what scores from"))
        var negativeSum = part
        negativeSum.decisions[0].groupings[0].groups[0].fn[4] = -1
        cases.append((negativeSum, "outside what scores from"))
        var outOfRange = part
        outOfRange.scores = .init(min: -2, max: 0.9)
        cases.append((outOfRange, "outside the spec's score range"))
        for (altered, expected) in cases {
            let error = #expect(throws: FairleadError.self) {
                try StatisticsPart.decode(altered.jsonData(), file: "part.json")
            }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
    }
}

/// The pushdown query's text in each dialect: identifiers and literals from the profile
/// are quoted so that no name or value can end the string or the identifier early.
@Suite struct PushdownQueryTests {
    static func profile(score: String = "score", positive: [String]? = nil) -> AuditProfile {
        AuditProfile(name: "q", data: .init(path: nil, score: score, label: "outcome", labelPositive: positive, scoreRange: 0...1),
                     decisions: [.init(name: "threshold_0.3", kind: .threshold(0.3))],
                     sensitive: [.init(column: "ethnicity"), .init(column: "age", bins: SensitiveBins(edges: [30, 50]))],
                     intersections: [["ethnicity", "age"]])
    }

    @Test func identifiersAndLiteralsAreQuotedForEachDialect() throws {
        let hostile = Self.profile(score: "sc\"o`re", positive: ["won't", "a\\b"])
        let postgres = try PushdownQuery(profile: hostile, dialect: .postgres, source: .table("crm.leads")).sql()
        #expect(postgres.contains("\"sc\"\"o`re\"") && postgres.contains("'won''t'"))
        // A backslash is written as an escape string's, read alike whatever the server's
        // standard_conforming_strings; a value without one stays a plain literal.
        #expect(postgres.contains("E'a\\\\b'") && !postgres.contains("'a\\b'") && !postgres.contains("E'won"))
        let trailingBackslash = try PushdownQuery(profile: Self.profile(positive: ["won\\", "it's\\"]), dialect: .postgres,
                                                  source: .table("leads")).sql()
        #expect(trailingBackslash.contains("E'won\\\\'") && trailingBackslash.contains("E'it''s\\\\'"))
        #expect(postgres.contains("FROM \"crm\".\"leads\"") && postgres.contains("DOUBLE PRECISION") && postgres.contains("AS TEXT"))
        let spark = try PushdownQuery(profile: hostile, dialect: .spark, source: .table("crm.leads")).sql()
        #expect(spark.contains("`sc\"o``re`") && spark.contains("'won\\'t'") && spark.contains("'a\\\\b'"))
        #expect(spark.contains("FROM `crm`.`leads`") && spark.contains("AS DOUBLE)") && spark.contains("AS STRING)"))
        let bigquery = try PushdownQuery(profile: hostile, dialect: .bigquery, source: .query("SELECT * FROM t")).sql()
        #expect(bigquery.contains("FLOAT64") && bigquery.contains("(\nSELECT * FROM t\n) AS source_rows"))
        // BigQuery reads a quoted identifier's escapes as a string literal's: a backtick
        // and a backslash are escaped (a final backslash must not escape the closing quote);
        // GROUPING is a reserved word there, so the result's column is quoted.
        #expect(bigquery.contains("`sc\"o\\`re`") && bigquery.contains("'won\\'t'"))
        let trailing = try PushdownQuery(profile: Self.profile(score: "score\\"), dialect: .bigquery, source: .table("leads")).sql()
        #expect(trailing.contains("`score\\\\`") && !trailing.contains("`score\\`"))
        #expect(bigquery.contains(" AS `grouping`,") && bigquery.contains("ORDER BY decision, `grouping`,"))
        // Every dialect but BigQuery (whose FLOAT64 is the only float) reads a number from
        // its text, as the streamed rows are read: a `real` 0.45 is 0.45, not 0.449999988.
        #expect(postgres.contains("THEN NULL ELSE CAST(\"sc\"\"o`re\" AS TEXT) END AS DOUBLE PRECISION) END AS s"))
        #expect(bigquery.contains("THEN NULL ELSE `sc\"o\\`re` END AS FLOAT64) END AS s"))
        let duckdb = try PushdownQuery(profile: hostile, dialect: .duckdb, source: .table("leads")).sql()
        #expect(duckdb.contains("AS VARCHAR)") && duckdb.contains("'won''t'"))
    }

    /// What a database source asks for: only the columns read, each cast to text; the
    /// header from one row of the source; the aggregate query's result as text. A query
    /// typed as for psql may end with semicolons.
    @Test func theQueriesOfADatabaseSource() throws {
        let query = PushdownQuery(profile: Self.profile(), dialect: .postgres, source: .query("SELECT * FROM leads ORDER BY id;; \n"))
        #expect(query.rowsQuery(columns: ["score", "we\"ird"])
                == "SELECT CAST(\"score\" AS TEXT) AS \"score\", CAST(\"we\"\"ird\" AS TEXT) AS \"we\"\"ird\" FROM (\nSELECT * FROM leads ORDER BY id\n) AS source_rows")
        let table = PushdownQuery(profile: Self.profile(), dialect: .postgres, source: .table("crm.leads"))
        #expect(table.columnNamesQuery
                == "SELECT probe.* FROM (SELECT 1) AS fairlead_one LEFT JOIN (SELECT * FROM \"crm\".\"leads\") AS probe ON true LIMIT 1")
        #expect(query.columnTypesQuery
                == "SELECT probe.* FROM (SELECT 1) AS fairlead_one LEFT JOIN (SELECT * FROM (\nSELECT * FROM leads ORDER BY id\n) AS source_rows WHERE false) AS probe ON true")
        let text = try table.textSQL()
        #expect(text.hasPrefix("SELECT CAST(\"decision\" AS TEXT) AS \"decision\", CAST(\"grouping\" AS TEXT) AS \"grouping\""))
        #expect(text.contains(try table.sql()) && text.hasSuffix("\n) AS statistics"))
    }

    @Test func binsGroupingSetsAndMasksFollowTheProfile() throws {
        let sql = try PushdownQuery(profile: Self.profile(), dialect: .postgres, source: .table("leads")).sql()
        #expect(sql.contains("THEN CAST(CASE WHEN CAST(\"age\" AS TEXT) IN ('', 'NA', 'NaN', 'null') THEN NULL ELSE CAST(\"age\" AS TEXT) END AS DOUBLE PRECISION) END < CAST(30.0 AS DOUBLE PRECISION) THEN '<30'"))
        #expect(sql.contains("THEN '30-49' ELSE '50+' END AS a1"))
        #expect(sql.contains("GROUPING SETS ((decision, cell, a0), (decision, cell, a1), (decision, cell, a0, a1))"))
        #expect(sql.contains("GROUPING(a0) + 2 * GROUPING(a1) AS \"grouping\""))
        #expect(sql.contains("ORDER BY decision, \"grouping\", a0, a1, cell"))
        #expect(sql.contains("s >= CAST(0.3 AS DOUBLE PRECISION) AND y = 1 THEN 'tp'"))
        #expect(sql.contains("-- fairlead sql: the statistics of profile q (postgres); statistics spec \(StatisticsSpec(Self.profile()).sha256)"))
        #expect(PushdownQuery.resultColumns(attributeCount: 2) == ["decision", "grouping", "a0", "a1", "cell", "rows", "weight",
                                                                   "squared_weight", "scored_weight", "score_sum", "min_score", "max_score",
                                                                   "statistics_spec"])
    }

    /// `data.consent` in every dialect: the consent value judged in SQL (1, 0, or -1 for
    /// an invalid value), rows without consent and invalid values counted under their own
    /// cells, and the grid's rows only those with consent.
    @Test(arguments: PushdownQuery.Dialect.allCases)
    func theConsentFilterIsInTheQuery(dialect: PushdownQuery.Dialect) throws {
        var profile = Self.profile()
        profile.data.consent = .init(column: "ok", purpose: "fairness.audit")
        profile.statistics = .init(scoreGridBins: 10)
        let sql = try PushdownQuery(profile: profile, dialect: dialect, source: .table("leads")).sql()
        #expect(sql.contains("WHEN c = -1 THEN 'invalid_consent' WHEN c = 0 THEN 'no_consent'"))
        #expect(sql.contains("FROM base WHERE s IS NOT NULL AND c = 1"))
        #expect(sql.contains(" ELSE 0 END AS c"))
        let match = ["postgres": " ~ ", "spark": " RLIKE ", "bigquery": "REGEXP_CONTAINS(", "duckdb": "regexp_matches("][dialect.rawValue]!
        #expect(sql.contains(match))
        // Spaces and tabs, ASCII only, in every dialect; Spark and BigQuery literals escape the
        // backslash, and PostgreSQL writes a literal with one as an escape string.
        let blank = [.spark, .bigquery, .postgres].contains(dialect) ? "[ \\\\t]" : "[ \\t]"
        let end = dialect == .spark ? "\\\\z" : "$"
        let open = dialect == .postgres ? "E'" : "'"
        #expect(sql.contains("\(open)^\(blank)*([tT][rR][uU][eE]|[yY][eE][sS]|[yY]|1)\(blank)*\(end)'"))
        #expect(sql.contains("\(open)(^|[;|])\(blank)*([fF][aA][iI][rR][nN][eE][sS][sS][.][aA][uU][dD][iI][tT])\(blank)*([;|]|\(end))'"))
        #expect(!sql.contains("LOWER(CAST(CASE WHEN CAST(\"ok\""))
        // Without consent, the query is as it was.
        #expect(!(try PushdownQuery(profile: Self.profile(), dialect: dialect, source: .table("leads")).sql()).contains("consent"))
    }

    /// Typed columns are tested for a missing value with IS NULL (and NaN for a double),
    /// never cast to text; undeclared ones are compared as text; a marker that could be a
    /// number's text keeps a number column compared as text.
    @Test func typedColumnsAreNotComparedAsText() throws {
        let types: [String: PushdownQuery.ColumnType] = ["score": .double, "outcome": .integer, "age": .double]
        let sql = try PushdownQuery(profile: Self.profile(), dialect: .postgres, source: .table("leads"), columnTypes: types).sql()
        for column in ["score", "outcome", "age"] { #expect(!sql.contains("CAST(\"\(column)\" AS TEXT)"), "\(column)") }
        #expect(sql.contains("CAST(\"ethnicity\" AS TEXT) IN ('', 'NA', 'NaN', 'null')"))
        #expect(sql.contains("CAST(CASE WHEN \"score\" IS NULL OR \"score\" = CAST('NaN' AS DOUBLE PRECISION) THEN NULL ELSE \"score\" END AS DOUBLE PRECISION) AS s"))
        #expect(sql.contains("CASE WHEN \"outcome\" IS NULL THEN NULL WHEN \"outcome\" = 1 THEN 1 WHEN \"outcome\" = 0 THEN 0 ELSE -1 END AS y"))
        let boolean = try PushdownQuery(profile: Self.profile(), dialect: .spark, source: .table("leads"), columnTypes: ["outcome": .boolean]).sql()
        #expect(boolean.contains("CASE WHEN `outcome` IS NULL THEN NULL WHEN `outcome` THEN 1 ELSE 0 END AS y"))
        #expect(try PushdownQuery(profile: Self.profile(), dialect: .bigquery, source: .table("leads"), columnTypes: types).sql()
            .contains("IS_NAN(`score`)"))
        // Without NaN among the markers, a double is only NULL-tested; with -1, it is compared as text.
        var profile = Self.profile()
        profile.data.missingMarkers = ["", "NA"]
        let noNaN = try PushdownQuery(profile: profile, dialect: .postgres, source: .table("leads"), columnTypes: types).sql()
        #expect(noNaN.contains("CAST(\"score\" AS DOUBLE PRECISION) AS s"))
        profile.data.missingMarkers = ["", "-1"]
        let numeric = try PushdownQuery(profile: profile, dialect: .postgres, source: .table("leads"), columnTypes: types).sql()
        #expect(numeric.contains("CASE WHEN CAST(\"score\" AS TEXT) IN ('', '-1') THEN NULL ELSE CAST(\"score\" AS TEXT) END"))
        #expect(numeric.contains("CASE WHEN CAST(\"outcome\" AS TEXT) IN ('', '-1') THEN NULL ELSE CAST(\"outcome\" AS TEXT) END"))
        // Types change the query, not the result's columns or the statistics spec.
        #expect(numeric.contains(StatisticsSpec(profile).sha256))
    }

    /// A query result that is a header only (an empty table or window) completes no audit
    /// and says so; one that lacks a decision's rows, or holds a count past 2⁵³, is refused
    /// — never a crash.
    @Test func emptyAndImpossibleQueryResultsAreRefused() throws {
        let profile = Self.profile()
        let header = PushdownQuery.resultColumns(attributeCount: 2).joined(separator: ",")
        let spec = StatisticsSpec(profile).sha256
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func result(_ rows: [String]) throws -> String {
            let path = directory.appendingPathComponent("r\(UUID().uuidString).csv").path
            try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let empty = try result([])
        let part = try StatisticsPart.fromQueryResult(path: empty, profile: profile)
        #expect(part.rowsRead == 0)
        let error = #expect(throws: FairleadError.self) {
            try Audit.fromStatistics(profile: profile, parts: [(file: empty, part: part)])
        }
        #expect(error?.message == "the data has a header but no rows; there is nothing to audit", "\(error?.message ?? "")")
        // Rows of the ethnicity grouping only: the age and intersection groupings count none of them.
        let oneGrouping = try result(["threshold_0.3,2,asian,,tp,3,3,3,3,1.5,0.4,0.6,\(spec)"])
        let partial = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: oneGrouping, profile: profile) }
        #expect(partial?.message.hasPrefix("the result counts 3 rows for decision threshold_0.3 under ethnicity, but 0 for decision threshold_0.3 under age: ") == true,
                "\(partial?.message ?? "")")
        let huge = try result(["threshold_0.3,2,asian,,tp,1e19,1e19,1e19,1e19,1e18,0.4,0.6,\(spec)"])
        let count = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: huge, profile: profile) }
        #expect(count?.message == "rows is 1e+19, expected a whole number from 0 to 2^53 (9007199254740992)", "\(count?.message ?? "")")
        #expect(count?.location?.line == 2)
        let reversed = try result(["threshold_0.3,2,asian,,tp,3,3,3,3,1.5,0.95,0.05,\(spec)"])
        let notARange = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: reversed, profile: profile) }
        #expect(notARange?.message == "min_score 0.95 and max_score 0.05 are not a range: both empty, or min_score ≤ max_score",
                "\(notARange?.message ?? "")")
        // A hostile field is quoted clipped: a 100,000-byte decision or cell name, a spec.
        let long = String(repeating: "D", count: 100_000)
        for row in ["\(long),2,asian,,tp,3,3,3,3,1.5,0.4,0.6,\(spec)", "threshold_0.3,2,asian,,\(long),3,3,3,3,1.5,0.4,0.6,\(spec)",
                    "threshold_0.3,2,asian,,tp,3,3,3,3,1.5,0.4,0.6,\(long)"] {
            let hostile = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: try result([row]), profile: profile) }
            #expect((hostile?.message.count ?? .max) < 1_000 && hostile?.message.contains(String(repeating: "D", count: 60) + "…") == true,
                    "\(hostile?.message.prefix(300) ?? "")")
        }
        let halfEmpty = try result(["threshold_0.3,2,asian,,tp,3,3,3,3,1.5,,0.6,\(spec)"])
        #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: halfEmpty, profile: profile) }
        // A score past the declared range is named in the column that holds it.
        var ranged = profile
        ranged.data.scoreRange = 0...1
        let rangedSpec = StatisticsSpec(ranged).sha256
        let above = try result(["threshold_0.3,2,asian,,tp,3,3,3,3,1.5,0.1,7,\(rangedSpec)"])
        let outside = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: above, profile: ranged) }
        #expect(outside?.location?.field == "max_score" && outside?.message.contains("scores run 0.1–7.0") == true,
                "\(String(describing: outside))")
        let infinite = try result(["threshold_0.3,2,asian,,tp,3,3,3,3,inf,0.4,0.6,\(spec)"])
        let notFinite = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: infinite, profile: profile) }
        #expect(notFinite?.message == "score_sum is inf, expected a finite number: a score in these rows is not finite, or their sum leaves a double's range (the audit of the rows names the first)",
                "\(notFinite?.message ?? "")")
        // A weighted profile's query marks rows whose weight an audit of the rows refuses.
        var weighted = profile
        weighted.data.weight = "w"
        let sql = try PushdownQuery(profile: weighted, dialect: .postgres, source: .table("leads")).sql()
        #expect(sql.contains("WHEN w IS NULL OR NOT (w >= 0 AND w <= CAST(1e+50 AS DOUBLE PRECISION)) THEN 'invalid_weight'"))
        let weightedSpec = StatisticsSpec(weighted).sha256
        let badWeight = try result(["threshold_0.3,2,asian,,invalid_weight,2,0,0,0,0,,,\(weightedSpec)",
                                    "threshold_0.3,2,asian,,tp,3,3,3,3,1.5,0.4,0.6,\(weightedSpec)"])
        let weightError = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: badWeight, profile: weighted) }
        #expect(weightError?.message.contains("holds a weight that is missing, negative, not a number or above 1e+50 in 2 rows") == true,
                "\(weightError?.message ?? "")")
    }

    /// One group name in two Unicode spellings (a precomposed é and e with a combining
    /// accent) is two groups to a database's byte-wise GROUP BY and one to Swift's
    /// `String`: every path refuses it, naming both spellings, instead of merging one
    /// group's counts under the other's name (which passed a group whose selection rate was 0).
    @Test func oneGroupNameInTwoUnicodeSpellingsIsRefusedOnEveryPath() throws {
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        #expect(composed == decomposed && composed.utf8.count != decomposed.utf8.count)
        var rows = ["lead_id,score,converted,ethnicity,gender,age_band"]
        for index in 0..<60 {
            let group = [composed, decomposed, "other"][index % 3]
            rows.append("L\(index),\(group == decomposed ? 0.1 : 0.8),\(index % 2),\(group),\(index % 2 == 0 ? "female" : "male"),25-34")
        }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = StatisticsPartTests.profile(path: path)
        let spelled = "\"caf\\u{00E9}\" (line 2) and \"cafe\\u{0301}\" (line 3)"
        let fromRows = #expect(throws: FairleadError.self) { try Audit(profile: profile).run() }
        #expect(fromRows?.message.contains("sensitive attribute \"ethnicity\" holds one text in two Unicode spellings, \(spelled)") == true,
                "\(fromRows?.message ?? "")")
        let stats = #expect(throws: FairleadError.self) { try Audit(profile: profile, dataPath: path).statisticsPart() }
        #expect(stats?.message == fromRows?.message)
        // A database's result keeps them apart: two rows of one cell.
        let header = PushdownQuery.resultColumns(attributeCount: 3).joined(separator: ",")
        let spec = StatisticsSpec(profile).sha256
        let result = path + ".result.csv"
        try [header, "threshold_0.3,6,\(composed),,,tp,3,3,3,3,2.4,0.8,0.8,\(spec)", "threshold_0.3,6,\(decomposed),,,fn,3,3,3,3,0.3,0.1,0.1,\(spec)"]
            .joined(separator: "\n").appending("\n").write(toFile: result, atomically: true, encoding: .utf8)
        let fromQuery = #expect(throws: FairleadError.self) { try StatisticsPart.fromQueryResult(path: result, profile: profile) }
        #expect(fromQuery?.message.contains("holds one text in two Unicode spellings, \"caf\\u{00E9}\" and \"cafe\\u{0301}\"") == true,
                "\(fromQuery?.message ?? "")")
        // A part whose levels list both (written by an older version, or by hand).
        let clean = try StatisticsPartTests.shards([Array(StatisticsPartTests.leads.rows[0..<300])])[0]
        let part = try Audit(profile: StatisticsPartTests.profile(path: clean), dataPath: clean).statisticsPart()
        let json = String(decoding: try part.jsonData(), as: UTF8.self)
        #expect(json.contains("\"asian\""))
        let edited = json.replacingOccurrences(of: "\"asian\"", with: "\"\(composed)\",\"\(decomposed)\"")
        let fromPart = #expect(throws: FairleadError.self) {
            try StatisticsPart.decode(Data(edited.utf8), file: "edited.json")
        }
        #expect(fromPart?.message.contains("in two Unicode spellings") == true, "\(fromPart?.message ?? "")")
    }

    /// A name or value that would reach the query with a control character is refused,
    /// whatever the dialect: printed, it would reach the terminal as it is. A source
    /// query may hold tabs and line breaks.
    /// A table name with an empty part (`''`, `crm..leads`) would give `FROM ""`: refused;
    /// a profile name's bidirectional override or line separator is escaped in the query's
    /// first comment line, as in every other message that echoes the name.
    @Test(arguments: PushdownQuery.Dialect.allCases)
    func emptyTableNamesAreRefusedAndTheCommentIsOneVisibleLine(dialect: PushdownQuery.Dialect) throws {
        var profile = StatisticsPartTests.profile()
        for table in ["", "crm..leads", ".leads", "crm."] {
            let error = #expect(throws: FairleadError.self) {
                try PushdownQuery(profile: profile, dialect: dialect, source: .table(table)).sql()
            }
            #expect(error?.message.contains("has an empty name") == true, "\(table): \(error?.message ?? "")")
        }
        profile.name = "leads\u{202E}gnp\u{2028}-- forged"
        let sql = try PushdownQuery(profile: profile, dialect: dialect, source: .table("crm.leads")).sql()
        let first = try #require(sql.split(separator: "\n").first)
        #expect(first.contains("leads\\u{202E}gnp\\u{2028}-- forged"), "\(first)")
        #expect(!sql.unicodeScalars.contains { [0x202E, 0x2028].contains($0.value) })
    }

    @Test(arguments: PushdownQuery.Dialect.allCases)
    func namesWithControlCharactersGetNoQuery(dialect: PushdownQuery.Dialect) throws {
        let escape = "sc\u{1B}[2Jore"
        var cases: [(AuditProfile, PushdownQuery.Source, String)] = [
            (Self.profile(score: escape), .table("leads"), "data.score 'sc\\x1B[2Jore'"),
            (Self.profile(positive: ["yes\nno"]), .table("leads"), "data.label.positive 'yes\\nno'"),
            (Self.profile(), .table("lea\u{202E}ds"), "the table 'lea\\u{202E}ds'"),
            (Self.profile(), .query("SELECT 1\u{7}"), "the query"),
        ]
        var decision = Self.profile()
        decision.decisions[0].name = "t\r0.3"
        cases.append((decision, .table("leads"), "decisions 't\\r0.3'"))
        for (profile, source, expected) in cases {
            let error = #expect(throws: FairleadError.self) {
                try PushdownQuery(profile: profile, dialect: dialect, source: source).sql()
            }
            #expect(error?.message.contains(expected) == true && error?.message.contains("control character") == true,
                    "\(error?.message ?? "")")
            #expect(error.map { TerminalEscaping.visible($0.message) == $0.message } == true)
        }
        #expect(try PushdownQuery(profile: Self.profile(), dialect: dialect, source: .query("SELECT *\n\tFROM leads\r\n")).sql()
            .contains("SELECT *\n\tFROM leads"))
    }

    @Test func aProfileThatNeedsTheRowsGetsNoQuery() throws {
        var profile = Self.profile()
        profile.decisions.append(.init(name: "top_50", kind: .topCount(50)))
        #expect(throws: FairleadError.self) { try PushdownQuery(profile: profile, dialect: .postgres, source: .table("t")).sql() }
    }
}
