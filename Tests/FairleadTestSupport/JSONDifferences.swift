import Foundation

/// The differences between two decoded JSON values (`JSONSerialization`'s dictionaries,
/// arrays, numbers and strings), each as `path: left vs right`: numbers equal to
/// `relative` (relative to the larger of 1 and the left value), everything else exactly.
/// Reports computed two ways — from the rows and from merged statistics, in the process
/// and in a database — sum in different orders, so their numbers agree to rounding only.
///
///     #expect(JSONDifferences.of(fileReport, databaseReport).isEmpty)
public enum JSONDifferences {
    public static func of(_ a: Any, _ b: Any, relative: Double = 1e-9, path: String = "") -> [String] {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return ["\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"] }
            return x.keys.sorted().flatMap { of(x[$0]!, y[$0]!, relative: relative, path: path + "/" + $0) }
        case (let x as [Any], let y as [Any]):
            guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) items"] }
            return zip(x, y).enumerated().flatMap { of($1.0, $1.1, relative: relative, path: path + "[\($0)]") }
        case (let x as NSNumber, let y as NSNumber) where !(x is Bool) && !(y is Bool):
            let (u, v) = (x.doubleValue, y.doubleValue)
            return abs(u - v) <= relative * max(1, abs(u)) ? [] : ["\(path): \(u) vs \(v)"]
        default:
            return "\(a)" == "\(b)" ? [] : ["\(path): \(a) vs \(b)"]
        }
    }
}

extension JSONDifferences {
    /// The keys of an audit report that an audit from statistics (pushdown, parts) cannot
    /// hold as the audit of the rows does: its time, its data section and notes, and the
    /// sections computed from the rows.
    public static let rowOnlyReportKeys = ["generated_at", "data", "notes", "queue", "score_distribution", "profile"]

    /// The differences of two audit reports apart from ``rowOnlyReportKeys``.
    public static func ofStatistics(_ a: [String: Any], _ b: [String: Any]) -> [String] {
        var a = a, b = b
        for key in rowOnlyReportKeys {
            a[key] = nil
            b[key] = nil
        }
        return of(a, b)
    }
}
