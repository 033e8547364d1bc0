import Foundation
import Testing
@testable import Fairlead

/// Dates given to `--as-of` and `--since`: real days only, never rolled over.
@Suite struct HistoryTimeTests {
    @Test(arguments: [
        ("2026-02-30", "day 30 of a month with 28 days"),
        ("2026-02-29", "day 29 of a month with 28 days"),
        ("2100-02-29", "day 29 of a month with 28 days"),
        ("2026-04-31", "day 31 of a month with 30 days"),
        ("2026-00-10", "month 0"),
        // Year 0000 (1 BC) was read as 0001-01-01.
        ("0000-01-01", "year 0"),
        ("0000-06-15T12:00:00Z", "year 0"),
        ("2026-13-01", "month 13"),
        ("2026-03-02T24:00:00Z", "hour 24"),
        ("2026-03-02T10:60:00Z", "minute 60"),
        ("2026-03-02T10:00:61+01:00", "second 61"),
    ])
    func anImpossibleDayOrTimeIsRefused(text: String, problem: String) {
        #expect(throws: FairleadError(.usage, "--as-of names a day or time that does not exist (\(problem)), found '\(text)'")) {
            _ = try HistoryTime.parse(text, option: "--as-of")
        }
    }

    @Test(arguments: [
        ("2028-02-29", "2028-02-29T00:00:00Z"),
        ("2000-02-29", "2000-02-29T00:00:00Z"),
        ("2026-12-31", "2026-12-31T00:00:00Z"),
        ("2026-03-02T23:59:59Z", "2026-03-02T23:59:59Z"),
        ("2026-03-02T09:15:00+01:00", "2026-03-02T08:15:00Z"),
        // The first and the last second the history holds, however the zone writes them.
        ("0001-01-01", "0001-01-01T00:00:00Z"),
        ("0001-01-01T01:00:00+01:00", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("9999-12-31T09:59:59-14:00", "9999-12-31T23:59:59Z"),
    ])
    func aRealDayOrTimeIsRead(text: String, stored: String) throws {
        #expect(HistoryTime.string(try HistoryTime.parse(text, option: "--as-of")) == stored)
    }

    /// An offset moved a time written in 0001–9999 out of it: `9999-12-31T23:00:00-14:00`
    /// was stored as `10000-01-01T13:00:00Z`, which sorts before every other year as text
    /// (a 2026 audit took it as its drift baseline), and a time in year 0 as year 1.
    @Test(arguments: [
        ("9999-12-31T23:00:00-14:00", "after 9999-12-31T23:59:59Z"),
        ("9999-12-31T10:00:00-14:00", "after 9999-12-31T23:59:59Z"),
        ("0001-01-01T00:00:00+01:00", "before 0001-01-01T00:00:00Z"),
        ("0001-01-01T13:59:59+14:00", "before 0001-01-01T00:00:00Z"),
    ])
    func aTimeOutsideTheYearsTheHistoryHoldsIsRefused(text: String, side: String) {
        #expect(throws: FairleadError(.usage, "--since names a time outside the years 0001 to 9999 in UTC, which the history holds: '\(text)' is \(side)")) {
            _ = try HistoryTime.parse(text, option: "--since")
        }
    }

    @Test func textThatIsNoDateIsRefusedClippedAndEscaped() {
        #expect(throws: FairleadError(.usage, "--since expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found 'last\\x1B[2J week'")) {
            _ = try HistoryTime.parse("last\u{1B}[2J week", option: "--since")
        }
    }

    /// A cut is printed as it is compared with `recorded_at`: to the millisecond when it
    /// has a fraction (`redact --before …:38.900Z` printed `…:38Z`).
    @Test(arguments: [
        ("2026-12-01T10:00:38.900Z", "2026-12-01T10:00:38.900Z"),
        ("2026-12-01T10:00:38.9Z", "2026-12-01T10:00:38.900Z"),
        ("2026-12-01T11:00:38.5+01:00", "2026-12-01T10:00:38.500Z"),
        ("2026-12-01T10:00:38.001Z", "2026-12-01T10:00:38.001Z"),
        ("2026-12-01T10:00:38Z", "2026-12-01T10:00:38Z"),
        ("2026-12-01T10:00:38.000Z", "2026-12-01T10:00:38Z"),
        ("2026-12-01", "2026-12-01T00:00:00Z"),
    ])
    func aCutIsPrintedWithItsFractionOfASecond(text: String, printed: String) throws {
        let date = try HistoryTime.parse(text, option: "--before")
        #expect(HistoryTime.instantString(date) == printed)
        // What is printed is what recorded_at is compared with.
        #expect(HistoryTime.preciseString(date).hasPrefix(String(printed.dropLast())))
    }

    @Test(arguments: [
        ("2026-03-02T00:00:00Z", "2026-03-02"),
        ("2026-03-02T00:00:00.000Z", "2026-03-02"),
        ("2026-03-02T10:00:38.000Z", "2026-03-02T10:00:38Z"),
        ("2026-03-02T10:00:38.900Z", "2026-03-02T10:00:38.900Z"),
        ("2026-03-02T00:00:00.001Z", "2026-03-02T00:00:00.001Z"),
    ])
    func aTimeIsShownWithoutAZeroFraction(text: String, shown: String) {
        #expect(HistoryTime.display(text) == shown)
    }

    @Test(arguments: ["2026-12-05T03:24:55.-5Z", "2026-12-05T03:24:55.7100000000000Z", "2026-12-05T03:24:55.Z",
                      "2026-12-05T03:24:55.5x", "2026-12-05T03:24:55.1234567890Z"])
    func aFractionIsOneToNineDigits(text: String) {
        #expect(throws: FairleadError(.usage, "--before expects a fraction of a second of 1 to 9 digits after the seconds (2026-03-02T09:15:00.250Z), found '\(text)'")) {
            try HistoryTime.parse(text, option: "--before")
        }
    }

    @Test func nineDigitsAndAnOffsetRead() throws {
        #expect(try HistoryTime.preciseString(HistoryTime.parse("2026-12-05T03:24:55.710000000Z", option: "--as-of"))
                == "2026-12-05T03:24:55.710Z")
        #expect(try HistoryTime.preciseString(HistoryTime.parse("2026-12-05T04:24:55.25+01:00", option: "--as-of"))
                == "2026-12-05T03:24:55.250Z")
    }

    /// Offsets are read whole or refused: the ISO 8601 parser read `+1:00` as +10:00,
    /// `+24:00` as +02:00, `+02:99` as +02:00 and `+123` as +01:23, so an entry was stored
    /// at another time (and another audit taken for its re-run).
    @Test(arguments: [
        ("2026-04-01T10:00:00+05:30", "2026-04-01T04:30:00Z"),
        ("2026-04-01T10:00:00+0530", "2026-04-01T04:30:00Z"),
        ("2026-04-01T10:00:00-05", "2026-04-01T15:00:00Z"),
        ("2026-04-01T10:00:00+14:00", "2026-03-31T20:00:00Z"),
        ("2026-04-01T10:00:00-00:00", "2026-04-01T10:00:00Z"),
    ])
    func anOffsetIsReadWhole(text: String, expected: String) throws {
        #expect(HistoryTime.string(try HistoryTime.parse(text, option: "--as-of")) == expected)
    }

    /// A blank around or within the time skipped every check (the parser skips a leading
    /// one): ` 2026-03-01T23:00:00+1:00` was read as +10:00, ` 2026-02-30T24:00:00Z` rolled over.
    @Test(arguments: [" 2026-03-01T23:00:00+1:00", "\t2026-03-08T23:00:00+24:00", "\n2026-03-15T23:00:00+02:99",
                      " 2026-02-30T24:00:00Z", "2026-03-02 ", "2026-03-02T10:00:00Z\n", "2026-03-02T10:00:00\u{00A0}Z"])
    func aBlankAnywhereIsRefused(text: String) {
        #expect(throws: FairleadError(.usage, "--before expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found '\(MessageQuote.clipped(text, limit: 40))'")) {
            _ = try HistoryTime.parse(text, option: "--before")
        }
    }

    @Test(arguments: [
        ("2026-04-01T10:00:00+1:00", ""),
        ("2026-04-01T10:00:00+123", ""),
        ("2026-04-01T10:00:00+1", ""),
        ("2026-04-01T10:00:00+01:0", ""),
        ("2026-04-01T10:00:00+0a:00", ""),
        ("2026-04-01T10:00:00z", ""),
        ("2026-04-01T10:00:00.5+01:00:00", ""),
        ("2026-04-01T10:00:00+02:99", "; +02:99 has 99 minutes"),
        ("2026-04-01T10:00:00+24:00", "; +24:00 is more than 14 hours from UTC"),
        ("2026-04-01T10:00:00-14:01", "; -14:01 is more than 14 hours from UTC"),
    ])
    func anyOtherZoneIsRefused(text: String, detail: String) {
        #expect(throws: FairleadError(.usage, "--as-of expects a time zone after the time: Z for UTC, or an offset such as +01:00 or -0530 (hours 00 to 14, minutes 00 to 59)\(detail), found '\(text)'")) {
            _ = try HistoryTime.parse(text, option: "--as-of")
        }
    }
}
