import FairleadCore
import Foundation
import Testing
@testable import Fairlead

/// A query result changed after the query ran is refused, saying how: cut inside a line or
/// at one, a value where GROUPING SETS leave NULL, a column the query does not select. A
/// result cut inside its last line was called "computed for another statistics spec", one
/// cut at a line "the groups and exclusions hold 5000 rows, but 0 were read", and the
/// value and column were read by nobody.
@Suite struct StatisticsQueryResultIntegrityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let result = root.appendingPathComponent("fixtures/scale/leads-postgres-result.csv").path

    /// The bundled result changed by `change` (its lines, header first), read under the
    /// profile it was made for.
    static func read(_ change: (inout [String]) -> Void) throws -> StatisticsPart {
        let profile = try AuditProfile.load(path: root.appendingPathComponent("fixtures/profiles/leads-sharded.yaml").path)
        var lines = try String(contentsOfFile: result, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        change(&lines)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("result.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try StatisticsPart.fromQueryResult(path: path, profile: profile)
    }

    static func message(_ change: (inout [String]) -> Void) -> String? {
        do {
            _ = try read(change)
            return nil
        } catch {
            return (error as? FairleadError).map { "\($0.location?.line.map(String.init) ?? "-"):\($0.location?.column.map(String.init) ?? "-") \($0.message)" }
        }
    }

    @Test func theBundledResultIsRead() throws {
        #expect(try Self.read { _ in }.data.first?.rowsRead == 5000)
    }

    /// The result re-saved by a program that quotes every field (a spreadsheet, pandas'
    /// QUOTE_ALL) writes NULL as "": it was refused as changed after the query ("a0 holds a
    /// value"). Under the default missing markers the query yields no empty text, so "" is
    /// NULL there, and the part is the bundled result's, every count and sum.
    @Test func aResultWithEveryFieldQuotedIsTheSameResult() throws {
        let original = try Self.read { _ in }
        let quoted = try Self.read { lines in
            for index in lines.indices where !lines[index].isEmpty {
                lines[index] = lines[index].split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(separator: ",")
            }
        }
        #expect(quoted.decisions == original.decisions)
        #expect(quoted.scores == original.scores && quoted.data.first?.rowsRead == 5000)
        // A value still refused where the grouping leaves NULL, quoted or not.
        let message = Self.message { lines in
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[2] = "\"white\""
            lines[1] = fields.joined(separator: ",")
        }
        #expect(message?.hasPrefix("2:3 a0 holds a value, but grouping 3 (age_band) leaves ethnicity out") == true, "\(message ?? "read")")
    }

    /// A part saved by an editor with a byte-order mark is read, as reports and query results are.
    @Test func aPartWithAByteOrderMarkIsRead() throws {
        let part = try Self.read { _ in }
        let json = try part.jsonData()
        #expect(try StatisticsPart.decode(Data([0xEF, 0xBB, 0xBF]) + json, file: "bom.json") == StatisticsPart.decode(json, file: "bom.json"))
    }

    @Test func aResultCutInsideALineSaysSo() throws {
        let message = Self.message { lines in
            lines = Array(lines.prefix(36))
            lines[35] = String(lines[35].dropLast(27))
        }
        #expect(message == "36:14 line 36 ends inside its statistics_spec (37 of its 64 characters): the result is cut short; save the whole result of the query again",
                "\(message ?? "read")")
    }

    /// A group value holding a quoted newline moves every later record a line down: the
    /// line a message gives is the file's, not the record's number + 1.
    @Test func aLineIsTheFilesWhenAValueSpansLines() throws {
        let other = String(repeating: "0", count: 64)
        func spec(of line: inout String) {
            line = String(line.dropLast(64)) + other
        }
        let plain = Self.message { lines in spec(of: &lines[39]) }
        #expect(plain?.hasPrefix("40:14 line 40 holds the statistics spec") == true, "\(plain ?? "read")")
        let spanning = Self.message { lines in
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[4] = "\"f\nn\""
            lines[1] = fields.joined(separator: ",")
            spec(of: &lines[39])
        }
        #expect(spanning?.hasPrefix("41:14 line 41 holds the statistics spec") == true, "\(spanning ?? "read")")
    }

    /// A row without its spec (emptied, or cut just after its last comma) let a result of
    /// another profile through.
    @Test func anEmptySpecIsRefused() throws {
        let message = Self.message { lines in
            lines[lines.count - 2] = String(lines[lines.count - 2].dropLast(64))
        }
        #expect(message?.hasSuffix("has an empty statistics_spec, which every row of the query holds (this profile's: bff3c86a2fd49f21825a439b8ebdb52001dc1ffb555928a703ccd49a8666efa4): the result is cut short or was changed; save the whole result of the query again") == true,
                "\(message ?? "read")")
    }

    @Test func aResultCutAtALineSaysRowsAreMissing() throws {
        let message = Self.message { lines in lines = Array(lines.prefix(50)) }
        #expect(message == "-:- the result counts 5000 rows for decision threshold_0.3 under age_band, but 0 for decision threshold_0.3 under ethnicity: "
                + "each decision counts every row once under every attribute, so rows of the result are missing (cut short, or filtered) or were changed; save the whole result of the query again",
                "\(message ?? "read")")
        // One row left out, anywhere.
        let one = Self.message { lines in lines.remove(at: 120) }
        #expect(one?.contains("so rows of the result are missing (cut short, or filtered) or were changed") == true, "\(one ?? "read")")
    }

    @Test func aValueWhereTheGroupingLeavesNullIsRefused() throws {
        let message = Self.message { lines in
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[1] == "3" && fields[2].isEmpty)
            fields[2] = "white"
            lines[1] = fields.joined(separator: ",")
        }
        #expect(message == "2:3 a0 holds a value, but grouping 3 (age_band) leaves ethnicity out, so the query's row has NULL there: the result was changed after the query ran",
                "\(message ?? "read")")
    }

    @Test func aColumnTheQueryDoesNotSelectIsRefused() throws {
        let message = Self.message { lines in
            lines = lines.enumerated().map { index, line in line.isEmpty ? line : line + (index == 0 ? ",note" : ",x") }
        }
        #expect(message?.hasPrefix("1:15 the query result has a column \"note\" that `fairlead sql`'s query does not select; it holds decision, grouping, a0,") == true,
                "\(message ?? "read")")
    }

    @Test func aGroupingOfNoAttributeIsShownAsAWholeNumber() throws {
        let message = Self.message { lines in
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = "8"
            lines[1] = fields.joined(separator: ",")
        }
        #expect(message == "2:2 grouping 8 is not one of the profile's attributes or intersections; expected one of 6 (ethnicity), 5 (gender), 3 (age_band), 4 (ethnicity*gender)", "\(message ?? "read")")
    }
}
