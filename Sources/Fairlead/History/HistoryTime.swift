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

    /// `2026-12-01T10:00:38Z`, or `2026-12-01T10:00:38.900Z` when the instant has a
    /// fraction of a second: a cut such as `redact --before`, printed as it is compared
    /// with `recorded_at` (to the millisecond, the precision both are read and stored at),
    /// so that an entry recorded at 38.5 s is listed before a cut printed 38.900, never
    /// before one printed 38.
    public static func instantString(_ date: Date) -> String {
        let whole = string(date)
        let precise = preciseString(date)
        return precise.hasSuffix(".000Z") ? whole : precise
    }

    /// Reads a date (`2026-03-02`, taken as midnight UTC) or an ISO 8601 time
    /// (`2026-03-02T09:15:00Z`, `2026-03-02T09:15:00+01:00`).
    ///
    /// The calendar is checked before the text is read: `2026-02-30` or `T24:00:00Z` is
    /// refused rather than rolled over into the next month or day, as ISO 8601 parsers do.
    ///
    /// - Throws: `FairleadError(.usage)` naming `option` when the text is neither, or names
    ///   a day or time that does not exist.
    public static func parse(_ text: String, option: String) throws -> Date {
        // Only the characters of a date and a time: the ISO 8601 parser skips a leading
        // blank, and the checks below, which read fixed positions, then read nothing (a
        // leading space let `+1:00` through as +10:00 again, and February 30 roll over).
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+-:.".unicodeScalars.contains($0)) }) else {
            throw FairleadError(.usage, "\(option) expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found '\(MessageQuote.clipped(text, limit: 40))'")
        }
        if let problem = calendarProblem(text) {
            throw FairleadError(.usage, "\(option) names a day or time that does not exist (\(problem)), found '\(MessageQuote.clipped(text, limit: 40))'")
        }
        // A fraction of a second is 1 to 9 digits: the ISO 8601 parser took `.-5` (half a
        // second before) and mis-scaled 13 digits or more.
        let bytes = Array(text.utf8)
        if bytes.count > 19, bytes[19] == UInt8(ascii: ".") {
            let digits = bytes[20...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            let after = 20 + digits < bytes.count ? bytes[20 + digits] : nil
            if (1...9).contains(digits), after == nil {
                throw FairleadError(.usage, "\(option) expects a time zone after the time (Z for UTC, or +01:00), found '\(MessageQuote.clipped(text, limit: 40))'")
            }
            guard (1...9).contains(digits), after == UInt8(ascii: "Z") || after == UInt8(ascii: "+") || after == UInt8(ascii: "-") else {
                throw FairleadError(.usage, "\(option) expects a fraction of a second of 1 to 9 digits after the seconds (2026-03-02T09:15:00.250Z), found '\(MessageQuote.clipped(text, limit: 40))'")
            }
        }
        if bytes.count > 10, let problem = zoneProblem(bytes) {
            throw FairleadError(.usage, "\(option) expects \(problem), found '\(MessageQuote.clipped(text, limit: 40))'")
        }
        if let date = formatter(fractional: false).date(from: text) ?? formatter(fractional: true).date(from: text) {
            return try requireInRange(date, text: text, option: option)
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(identifier: "UTC")
        if text.count == 10, let date = day.date(from: text) { return try requireInRange(date, text: text, option: option) }
        throw FairleadError(.usage, "\(option) expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found '\(MessageQuote.clipped(text, limit: 40))'")
    }

    /// The first instant the history holds, and the first past it: years 0001 to 9999 in
    /// UTC, whose four-digit text sorts as time does (``string(_:)``). Read by the same
    /// formatter as every time (Foundation's calendar is Julian before 1582, so year 1
    /// starts two days off the proleptic Gregorian count).
    static let earliest = formatter(fractional: false).date(from: "0001-01-01T00:00:00Z")!
    static let latest = formatter(fractional: false).date(from: "9999-12-31T23:59:59Z")!.addingTimeInterval(1)

    /// `date` when its UTC year is 0001 to 9999. The calendar check reads the year as
    /// written, and an offset moved it out: `9999-12-31T23:00:00-14:00` was stored as
    /// `10000-01-01T13:00:00Z`, which sorts before 1969 as text (taken as the drift
    /// baseline of a 2026 audit, hidden by `--since`), and `0001-01-01T00:00:00+01:00`,
    /// in year 0, was written as `0001-12-31T23:00:00Z`, almost a year late.
    static func requireInRange(_ date: Date, text: String, option: String) throws -> Date {
        guard date < earliest || date >= latest else { return date }
        throw FairleadError(.usage, "\(option) names a time outside the years 0001 to 9999 in UTC, which the history holds: '\(MessageQuote.clipped(text, limit: 40))' is \(date < earliest ? "before 0001-01-01T00:00:00Z" : "after 9999-12-31T23:59:59Z")")
    }

    /// What is wrong with the time zone of a time (`bytes` longer than a date), or `nil`
    /// when it is `Z` or an offset of `±HH:MM`, `±HHMM` or `±HH` within 14 hours of UTC
    /// with minutes 00–59 — or when the text is not a time of that shape up to its zone
    /// (the parser then refuses it as malformed). The ISO 8601 parser read what it could
    /// of any other: `+1:00` as +10:00, `+24:00` as +02:00, `+02:99` as +02:00 — an
    /// entry stored at another time, another audit taken for a re-run, a redaction cut
    /// elsewhere than printed.
    static func zoneProblem(_ bytes: [UInt8]) -> String? {
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        // HH:MM:SS; a time of another shape (no seconds) is refused as malformed.
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              isDigit(bytes[17]), isDigit(bytes[18]) else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let zone = Array(bytes[index...])
        let expected = "a time zone after the time: Z for UTC, or an offset such as +01:00 or -0530 (hours 00 to 14, minutes 00 to 59)"
        if zone == [UInt8(ascii: "Z")] { return nil }
        guard let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return expected }
        let rest = Array(zone.dropFirst())
        let digits: [UInt8]
        switch rest.count {
        case 2, 4: digits = rest
        case 5 where rest[2] == UInt8(ascii: ":"): digits = Array(rest[0..<2] + rest[3..<5])
        default: return expected
        }
        guard digits.allSatisfy(isDigit) else { return expected }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        let written = String(decoding: zone, as: UTF8.self)
        if minutes > 59 { return "\(expected); \(written) has \(minutes) minutes" }
        if hours * 60 + minutes > 14 * 60 { return "\(expected); \(written) is more than 14 hours from UTC" }
        return nil
    }

    /// Refuses a time with a fraction of a second as an `as_of`: the history keeps `as_of`
    /// to the second (``string(_:)``, so that its text order is time order), and cut the
    /// fraction silently — `10:00:00.1Z` and `10:00:00.9Z` were one `as_of`, so the
    /// second audit was taken for a re-run of the first.
    ///
    /// - Throws: `FairleadError(.usage)` naming `option`.
    ///
    /// `text`, when given, is the time as written: its fraction is read from it, digit by
    /// digit (the parser keeps milliseconds, so `.0004` would pass as a whole second).
    public static func requireWholeSecond(_ date: Date, text: String? = nil, option: String) throws {
        let seconds = date.timeIntervalSince1970
        var fraction = seconds.rounded(.down) != seconds
        if let text {
            let bytes = Array(text.utf8)
            if bytes.count > 19, bytes[19] == UInt8(ascii: ".") {
                fraction = bytes[20...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                    .contains { $0 != UInt8(ascii: "0") }
            }
        }
        guard fraction else { return }
        let written = text.map { MessageQuote.clipped($0, limit: 40) } ?? preciseString(date)
        throw FairleadError(.usage, "\(option) is kept to the second in the history, so \(written) would be stored as \(string(Date(timeIntervalSince1970: seconds.rounded(.down)))) and taken for any other time in that second; give a whole second")
    }

    /// What is impossible in the date and time of `text` (a month 13, February 30, hour 24),
    /// or `nil` when its numbers name a real day and time or it is not in that shape at all
    /// (the parser then refuses it as malformed).
    static func calendarProblem(_ text: String) -> String? {
        let digits = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= digits.count else { return nil }
            var value = 0
            for byte in digits[start..<(start + length)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard digits.count >= 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) else { return nil }
        // ISO 8601's year 0000 is 1 BC, which the parser moves to year 1.
        guard year >= 1 else { return "year 0" }
        guard (1...12).contains(month) else { return "month \(month)" }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else {
            return "day \(day) of a month with \(lengths[month - 1]) days"
        }
        guard digits.count >= 19, digits[10] == UInt8(ascii: "T") || digits[10] == UInt8(ascii: "t"),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        if hour > 23 { return "hour \(hour)" }
        if minute > 59 { return "minute \(minute)" }
        if second > 59 { return "second \(second)" }
        return nil
    }

    /// The date part of an ISO 8601 time when the time is midnight, else the whole time
    /// without a fraction of `.000` (`recorded_at` and redaction cuts are kept to the
    /// millisecond): how trends and messages show times.
    public static func display(_ text: String) -> String {
        let plain = text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
        return plain.hasSuffix("T00:00:00Z") ? String(plain.prefix(10)) : plain
    }

    private static func formatter(fractional: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }
}
