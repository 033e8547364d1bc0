import Foundation
import Testing

/// A part's score-grid entries are checked against the scores their cell can hold: an
/// entry altered by hand (moved to another cell, a score sum scaled or made huge, listed
/// twice, or outside the grid) is refused with exit 2, naming the part, the histogram,
/// the group and the entry, rather than giving the lead-queue rules a verdict on numbers
/// no rows could sum to.
@Suite struct CLIHistogramCellTests {
    static let profile = "fixtures/profiles/leads-grid.yaml"

    /// The part of the bundled leads on the profile's 1,000-cell grid, in a fresh folder.
    static func part() throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-histogram-cells-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("part.json").path
        let made = try CLIProcess.run(["stats", "--profile", Self.profile, "--out", path])
        #expect(made.exitCode == 0, "\(made.standardError)")
        return (folder, path)
    }

    /// The part at `path` with `alter` applied to the entries of histogram `histogram`'s
    /// group `group`, written beside it as `name`.
    static func altered(_ path: String, name: String, histogram: Int, group: [String],
                        _ alter: (inout [[Double]]) throws -> Void) throws -> String {
        var part = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var histograms = try #require(part["histograms"] as? [[String: Any]])
        var groups = try #require(histograms[histogram]["groups"] as? [[String: Any]])
        let index = try #require(groups.firstIndex { $0["group"] as? [String] == group })
        var cells = try #require(groups[index]["cells"] as? [[Double]])
        try alter(&cells)
        groups[index]["cells"] = cells
        histograms[histogram]["groups"] = groups
        part["histograms"] = histograms
        let out = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: part).write(to: URL(fileURLWithPath: out))
        return out
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var histogram: Int
        var group: [String]
        var place: String
        var expected: String
        var alter: @Sendable (inout [[Double]]) -> Void
        var testDescription: String { name }
    }

    /// The first entry of `cells` with positives, and a whole cell whose reliability bin
    /// goes on 50 cells up (cells 1–49 of each tenth of the grid).
    static func shiftable(_ cells: [[Double]]) -> Int {
        cells.firstIndex { Int($0[0]) % 100 >= 1 && Int($0[0]) % 100 <= 49 && $0[4] > 0 && !cells.map { $0[0] }.contains($0[0] + 50) } ?? 0
    }

    static let cases: [Case] = [
        Case(name: "cells moved to the mirror end of the grid", histogram: 0, group: ["black"],
             place: "score histogram ethnicity, histogram group [\"black\"], entry", expected: "no score is in both") { cells in
            for index in cells.indices { cells[index][0] = 999 - cells[index][0] }
            cells.sort { $0.lexicographicallyPrecedes($1) }
        },
        Case(name: "a cell moved 50 cells up, in the same reliability bin", histogram: 0, group: ["white"],
             place: "score histogram ethnicity, histogram group [\"white\"], entry", expected: "has Σw·s = ") { cells in
            cells[shiftable(cells)][0] += 50
        },
        Case(name: "Σw·s² halved", histogram: 1, group: ["female"],
             place: "score histogram gender, histogram group [\"female\"], entry 0", expected: "has Σw·s² = ") { cells in
            for index in cells.indices { cells[index][6] *= 0.5 }
        },
        Case(name: "Σw·s² huge", histogram: 2, group: ["25-34"],
             place: "score histogram age_band, histogram group [\"25-34\"], entry 0", expected: "has Σw·s² = 1e+308") { cells in
            cells[0][6] = 1e308
        },
        Case(name: "Σw·s huge", histogram: 2, group: ["25-34"],
             place: "score histogram age_band, histogram group [\"25-34\"], entry 0", expected: "has Σw·s = 1e+308") { cells in
            cells[0][5] = 1e308
        },
        Case(name: "Σw·y·s above Σw·s", histogram: 0, group: ["white"],
             place: "score histogram ethnicity, histogram group [\"white\"], entry", expected: "Σw·y·s") { cells in
            let index = shiftable(cells)
            cells[index][7] = cells[index][5] * 1.01
        },
        Case(name: "an entry listed twice", histogram: 1, group: ["male"],
             place: "score histogram gender, histogram group [\"male\"], entry 1 ", expected: "is listed twice") { cells in
            cells.insert(cells[0], at: 1)
        },
        Case(name: "a cell past the grid", histogram: 1, group: ["male"],
             place: "score histogram gender, histogram group [\"male\"], entry 0", expected: "cell 1000.0 is not a cell of the 1000-cell grid") { cells in
            cells[0][0] = 1000
        },
    ]

    @Test(arguments: cases)
    func anImpossibleEntryIsRefused(_ tamper: Case) throws {
        let (folder, path) = try Self.part()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.altered(path, name: "altered.json", histogram: tamper.histogram, group: tamper.group, tamper.alter)
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", file, "--format", "json"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardOutput.isEmpty)
        #expect(audit.standardError.contains(file), "\(audit.standardError)")
        #expect(audit.standardError.contains(tamper.place), "\(audit.standardError)")
        #expect(audit.standardError.contains(tamper.expected), "\(audit.standardError)")
    }

    /// Two rows of one group each moved to the next cell, one up and one down, by the same
    /// amount: the group's rows and sums are unchanged, each entry possible, and the AUC
    /// changed. The other histograms still hold the rows in their old cells.
    @Test func everyHistogramHoldsTheSameRowsPerCell() throws {
        let (folder, path) = try Self.part()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.altered(path, name: "moved.json", histogram: 0, group: ["white"]) { cells in
            let taken = Set(cells.map { $0[0] })
            // Rows of one negative row each, whose cell's neighbour (in the same reliability bin) is empty.
            func single(_ step: Double, besides other: Int? = nil) throws -> Int {
                try #require(cells.indices.first { index in
                    let cell = cells[index][0], within = Int(cell) % 100
                    return index != other && cells[index][2] == 1 && cells[index][4] == 0 && !taken.contains(cell + step)
                        && (1...98).contains(within) && other.map { abs(cells[$0][0] - cell) > 2 } != false
                })
            }
            let up = try single(1), down = try single(-1, besides: up)
            for (index, step) in [(up, 1.0), (down, -1.0)] {
                let score = cells[index][5] + step / 1000
                cells[index][0] += step
                cells[index][5] = score
                cells[index][6] = score * score
            }
            cells.sort { $0.lexicographicallyPrecedes($1) }
        }
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", file, "--format", "json"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardError.contains(file), "\(audit.standardError)")
        #expect(audit.standardError.contains("score histogram gender holds "), "\(audit.standardError)")
        #expect(audit.standardError.contains("every histogram holds each scored row once, in its score's cell"), "\(audit.standardError)")
    }

    /// An intersection's entry whose rows are all its ethnicity's rows in the cell, with
    /// Σw·s² raised to its cell's largest (a possible entry, and no group total changed):
    /// the same rows cannot have two sums.
    @Test func anIntersectionHoldsItsAttributesRows() throws {
        let (folder, path) = try Self.part()
        defer { try? FileManager.default.removeItem(at: folder) }
        let part = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let histograms = try #require(part["histograms"] as? [[String: Any]])
        #expect(histograms[3]["attributes"] as? [String] == ["ethnicity", "gender"])
        let own = try #require(histograms[0]["groups"] as? [[String: Any]]).first { $0["group"] as? [String] == ["asian"] }
        let ownRows = Dictionary(uniqueKeysWithValues: try #require(own?["cells"] as? [[Double]]).map { ([$0[0], $0[1]], $0[2]) })
        var summed: [[Double]: Double] = [:]
        for group in try #require(histograms[3]["groups"] as? [[String: Any]]) where (group["group"] as? [String])?.first == "asian" {
            for entry in group["cells"] as? [[Double]] ?? [] { summed[[entry[0], entry[1]], default: 0] += entry[2] }
        }
        let file = try Self.altered(path, name: "raised.json", histogram: 3, group: ["asian", "female"]) { cells in
            let index = try #require(cells.indices.first { index in
                let entry = cells[index], top = (entry[0] + 1) / 1000
                return summed[[entry[0], entry[1]]] == ownRows[[entry[0], entry[1]]] && abs(entry[5] / entry[3] - top) > 1e-4
            })
            let top = (cells[index][0] + 1) / 1000
            cells[index][6] = cells[index][3] * top * top
        }
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", file, "--format", "json"])
        #expect(audit.exitCode == 2, "\(audit.standardError)")
        #expect(audit.standardError.contains(file), "\(audit.standardError)")
        #expect(audit.standardError.contains("score histogram ethnicity*gender: its groups with ethnicity \"asian\" hold "), "\(audit.standardError)")
        #expect(audit.standardError.contains("an intersection counts at most the rows its attribute's histogram counts"), "\(audit.standardError)")
    }

    /// The part as written, and read back and written again by another JSON writer, audits
    /// as before: the checks refuse no rounding a real part has.
    @Test func theUnalteredPartAuditsAsBefore() throws {
        let (folder, path) = try Self.part()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try Self.altered(path, name: "copy.json", histogram: 0, group: ["white"]) { _ in }
        let rows = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        let fromPart = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", path, "--format", "json"])
        let fromCopy = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", copy, "--format", "json"])
        #expect(fromPart.exitCode == rows.exitCode && fromCopy.exitCode == rows.exitCode, "\(fromPart.standardError)\(fromCopy.standardError)")
        let findings = { (text: String) throws -> [String] in
            let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return (report["findings"] as? [[String: Any]] ?? []).map { "\($0["metric"] ?? ""): \($0["verdict"] ?? "")" }
        }
        #expect(try findings(fromPart.standardOutput) == findings(rows.standardOutput))
        #expect(try findings(fromCopy.standardOutput) == findings(fromPart.standardOutput))
    }
}
