import FairleadCore
import Foundation

/// Edges that cut a numeric sensitive column (age, tenure) into ordered groups, each
/// closed on the left and open on the right.
///
///     guard let bins = SensitiveBins(edges: [25, 35, 45, 55, 65]) else { … }
///     bins.groupNames          // ["<25", "25-34", "35-44", "45-54", "55-64", "65+"]
///     bins.group(of: 34.9)     // 1: "25-34" holds 25 ≤ age < 35
///     bins.group(of: 65)       // 5: "65+"
///
/// In a profile: `bins: [25, 35, 45, 55, 65]` on a sensitive entry. Edges are finite,
/// strictly increasing numbers; `n` edges make `n + 1` groups. Group names: `<e₁` below
/// the first edge, `eₙ+` from the last; between edges `a-b` with `b` one less than the
/// next edge when both edges are whole numbers ≥ 0 (`25-34`, or just `25` for a bin one
/// wide), else `a to <b` (`0.5 to <1.5`). A missing value stays missing.
public struct SensitiveBins: Sendable, Equatable {
    /// The edges, strictly increasing.
    public let edges: [Double]

    /// Bins cut at `edges`; `nil` unless they are one or more finite numbers in strictly
    /// increasing order.
    public init?(edges: [Double]) {
        guard !edges.isEmpty, edges.allSatisfy(\.isFinite),
              zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.edges = edges
    }

    /// The groups' names in natural order (the order of their values).
    public var groupNames: [String] {
        var names = ["<" + Self.text(edges[0])]
        for (low, high) in zip(edges, edges.dropFirst()) {
            let whole = low >= 0 && low == low.rounded() && high == high.rounded()
            if whole {
                names.append(high - low == 1 ? Self.text(low) : "\(Self.text(low))-\(Self.text(high - 1))")
            } else {
                names.append("\(Self.text(low)) to <\(Self.text(high))")
            }
        }
        names.append(Self.text(edges[edges.count - 1]) + "+")
        return names
    }

    /// The index into ``groupNames`` of `value`'s group: how many edges are ≤ `value`;
    /// `nil` for NaN (a missing value).
    public func group(of value: Double) -> Int? {
        guard !value.isNaN else { return nil }
        var low = 0, high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The attribute `name` with a group per bin that holds at least one row, in the
    /// bins' order (not alphabetical: `<25` before `25-34` before `65+`); NaN → missing (-1).
    func attribute(name: String, values: [Double]) -> SensitiveAttribute {
        attribute(name: name, groups: values.map(group(of:)))
    }

    /// `attribute`, whose levels are the column's values as text (as a reader of
    /// categorical columns gives them), regrouped into the bins like
    /// ``attribute(name:values:)``.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming `path` and the column when a value
    ///   is not a number.
    func regrouped(_ attribute: SensitiveAttribute, path: String) throws -> SensitiveAttribute {
        let groupOfLevel = try attribute.levels.map { level -> Int? in
            // Read as a numeric column reads its values (and a pushdown's query tests them).
            guard let value = CSVReader.number(level) else {
                throw FairleadError(.invalidData, "the sensitive column has bins, so its values must be numbers; found \"\(level)\"",
                                    at: SourceLocation(file: path, field: attribute.name))
            }
            return group(of: value)
        }
        return self.attribute(name: attribute.name, groups: attribute.codes.map { $0 < 0 ? nil : groupOfLevel[Int($0)] })
    }

    /// An attribute from each row's bin (`nil`: missing), listing the bins that hold a row.
    private func attribute(name: String, groups: [Int?]) -> SensitiveAttribute {
        var used = [Bool](repeating: false, count: edges.count + 1)
        for case let group? in groups { used[group] = true }
        var code = [Int32](repeating: -1, count: edges.count + 1)
        var levels: [String] = []
        let names = groupNames
        for index in used.indices where used[index] {
            code[index] = Int32(levels.count)
            levels.append(names[index])
        }
        return SensitiveAttribute(name: name, codes: groups.map { $0.map { code[$0] } ?? -1 }, levels: levels)
    }

    /// `30` for whole numbers, else Swift's shortest form (`0.5`).
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
