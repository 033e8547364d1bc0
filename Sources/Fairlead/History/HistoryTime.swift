import FairleadCore
import Foundation

/// The history's times: ISO 8601 in UTC, so that text order is time order.
public enum HistoryTime {
    /// `2026-03-02T00:00:00Z`: the form of `as_of` and of reports' `generated_at`.
    public static func string(_ date: Date) -> String {
        formatter(fractional: false).string(from: date)
    }

    /// `2026-03-02T09:15:27.123Z`: the form of `recorded_at`.
    public static func preciseString(_ date: Date) -> String {
        formatter(fractional: true).string(from: date)
    }

    /// Reads a date (`2026-03-02`, taken as midnight UTC) or an ISO 8601 time
    /// (`2026-03-02T09:15:00Z`, `2026-03-02T09:15:00+01:00`).
    ///
    /// - Throws: `FairleadError(.usage)` naming `option` when the text is neither.
    public static func parse(_ text: String, option: String) throws -> Date {
        if let date = formatter(fractional: false).date(from: text) ?? formatter(fractional: true).date(from: text) {
            return date
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(identifier: "UTC")
        if text.count == 10, let date = day.date(from: text) { return date }
        throw FairleadError(.usage, "\(option) expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found '\(text)'")
    }

    /// The date part of an ISO 8601 time when the time is midnight, else the whole time:
    /// how trends label their rows.
    static func display(_ text: String) -> String {
        text.hasSuffix("T00:00:00Z") ? String(text.prefix(10)) : text
    }

    private static func formatter(fractional: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }
}
