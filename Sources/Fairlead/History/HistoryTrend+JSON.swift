import FairleadCore
import Foundation

extension HistoryTrend {
    /// The tables as JSON, for programs (the Python package's `history_trends`):
    ///
    ///     {"metric": "selection_rate", "tables": [{"profile": "leads-weekly", "decision": "threshold_0.3",
    ///      "attribute": "ethnicity", "columns": ["asian", …, "(overall)"],
    ///      "rows": [{"entry": 1, "as_of": "2026-03-02T00:00:00Z", "status": "fail", "drift_status": null,
    ///                "completes": null, "reruns": null, "values": {"asian": 0.31, …}}]}],
    ///      "superseded": [{"entry": 7, "by": 9}]}
    ///
    /// The same tables as ``text()``: `attribute` is `null` when the columns are attributes;
    /// a value the report left undefined is `null`, a column the entry lacks is absent.
    /// `reruns` is the entry a row re-runs; `superseded` lists the runs left out for a later
    /// re-run (``supersededBy``).
    /// Keys are sorted, so the same history gives the same bytes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let superseded = supersededBy.keys.sorted().map { JSONTrend.Superseded(entry: $0, by: supersededBy[$0] ?? $0) }
        let document = JSONTrend(metric: metric, superseded: superseded, tables: tables.map { table in
            JSONTrend.Table(profile: table.profile, decision: table.decision, attribute: table.attribute, columns: table.columns,
                            rows: table.rows.map { row in
                                JSONTrend.Row(entry: row.entry, asOf: row.asOf, status: row.status.rawValue,
                                              driftStatus: row.driftStatus?.rawValue, completes: row.completes, reruns: row.reruns,
                                              values: row.values.mapValues { value in value.flatMap { $0.isFinite ? $0 : nil } })
                            })
        })
        return String(decoding: JSONEscaping.escapingHidden(try encoder.encode(document)), as: UTF8.self) + "\n"
    }
}

/// The JSON shape of ``HistoryTrend/json()``; `nil` is written as `null`, not left out.
private struct JSONTrend: Encodable {
    struct Row: Encodable {
        var entry: Int64
        var asOf: String
        var status: String
        var driftStatus: String?
        var completes: Int64?
        var reruns: Int64?
        var values: [String: Double?]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entry, forKey: .entry)
            try container.encode(asOf, forKey: .asOf)
            try container.encode(status, forKey: .status)
            try container.encode(driftStatus, forKey: .driftStatus)
            try container.encode(completes, forKey: .completes)
            try container.encode(reruns, forKey: .reruns)
            try container.encode(values, forKey: .values)
        }

        enum CodingKeys: String, CodingKey {
            case entry, status, completes, reruns, values
            case asOf = "as_of", driftStatus = "drift_status"
        }
    }

    struct Table: Encodable {
        var profile: String
        var decision: String
        var attribute: String?
        var columns: [String]
        var rows: [Row]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(profile, forKey: .profile)
            try container.encode(decision, forKey: .decision)
            try container.encode(attribute, forKey: .attribute)
            try container.encode(columns, forKey: .columns)
            try container.encode(rows, forKey: .rows)
        }

        enum CodingKeys: String, CodingKey { case profile, decision, attribute, columns, rows }
    }

    struct Superseded: Encodable {
        var entry: Int64
        var by: Int64
    }

    var metric: String
    var superseded: [Superseded]
    var tables: [Table]
}
