import FairleadCore
import FairleadTestSupport
import Foundation
import Testing
@testable import Fairlead

/// The pushdown query's number pattern reads a text as a number exactly when the CSV
/// reader reads it as a finite one, as an audit reads scores, weights and binned
/// attributes: a text that a database's cast would read (hex, `nan`, `inf`, `1d`) but an
/// audit of a file's rows would refuse is the cell `invalid_number`, not a value.
@Suite struct PushdownNumberGrammarTests {
    /// Texts the reader and the pattern must agree on: hand-picked spellings, then random
    /// texts over the characters numbers and the casts' extensions are made of.
    static func corpus() -> [String] {
        var texts = ["0", "1", "-0", "+1", ".5", "5.", "-.5", "+.5e3", "1e5", "1E+05", "1e-400", "1e999", "-1e309", "0e-999", "4.9e-324", "4.9e-325", "1.7976931348623159e308", "00012", "0.261808",
                     " 1", "1 ", "\t1\t", " \t-2.5e-3 \t", "inf", "-INF", "+Infinity", "infinity", "InFiNiTy", "infin", "infinit",
                     "nan", "NaN", "-nan", "0x1p-1", "0X10", "1d", "1.5f", "1_000", "1,5", "", " ", ".", "-", "+", "e5", ".e5",
                     "1e", "1e+", "1.2.3", "--1", "+-1", "1e5.5", "١", "1\u{A0}", "\u{A0}1", "1\u{2009}", "12345678901234567890123"]
        var random = SplitMix64(seed: 0x5eed)
        let alphabet = Array("0123456789+-.eEiInNfFtTyYxXd_ \t")
        for _ in 0..<4_000 {
            let length = Int(random.next() % 7) + 1
            texts.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        return texts
    }

    @Test func theNumberPatternReadsWhatTheCSVReaderReads() throws {
        let texts = Self.corpus()
        // One column per text, quoted (`1,5` holds a comma), after a first row of 0.5: the
        // column is read as numbers from its first row, and stays numeric only if the text
        // is a number (a first value ` 1` would start a boolean column instead).
        let header = texts.indices.map { "c\($0)" }.joined(separator: ",")
        let path = try AuditFixtures.temporaryCSV(header + "\n" + texts.map { _ in "0.5" }.joined(separator: ",") + "\n" + texts.map { "\"\($0)\"" }.joined(separator: ",") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let table = try CSVReader.read(path: path)
        let markers = CSVOptions().missingMarkers
        // The Spark dialect's pattern (`\p{Blank}`, `\z`) is the one ICU reads as the databases do.
        let profile = try AuditProfile.parse("name: p\ndata: {path: x.csv, score: s, label: y}\nsensitive: [g]\ndecisions: [{name: d, threshold: 0.5}]\n")
        let query = PushdownQuery(profile: profile, dialect: .spark, source: .table("t"))
        let expression = try NSRegularExpression(pattern: query.numberPattern)
        let nonZero = try NSRegularExpression(pattern: query.nonZeroMantissaPattern)
        func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        /// What the query's flag tests after the pattern: the cast (a correctly rounded
        /// conversion, as the engines' are) is neither ±inf nor 0 from a non-zero text.
        func inRange(_ text: String) -> Bool {
            guard let value = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))) else { return false }
            return !value.isInfinite && !(value == 0 && matches(nonZero, text))
        }
        var disagreements: [String] = []
        for (index, text) in texts.enumerated() {
            guard let column = table.column(named: "c\(index)") else {
                Issue.record("column c\(index) missing")
                continue
            }
            // Read as a number, and a finite one: the audit refuses `inf` in these columns.
            let readAsNumber = column.numeric.map { $0.isMissing[1] || $0.values[1].isFinite } ?? false
            let matched = markers.contains(text) || (matches(expression, text) && inRange(text))
            if readAsNumber != matched { disagreements.append("\(text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()): reader \(column.type), pattern \(matched)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        // The corpus holds both kinds, in numbers.
        let numbers = texts.indices.filter { table.column(named: "c\($0)")?.type == .numeric }.count
        #expect(numbers > 300 && texts.count - numbers > 300, "\(numbers) of \(texts.count)")
    }

    /// `inf`, `infinity` and `nan`, in any case and sign, are not numbers to any dialect's
    /// pattern: an audit refuses them in a score, weight or binned attribute.
    @Test(arguments: PushdownQuery.Dialect.allCases)
    func nonFiniteWordsAreNotNumbers(dialect: PushdownQuery.Dialect) throws {
        let profile = try AuditProfile.parse("name: p\ndata: {path: x.csv, score: s, label: y}\nsensitive: [g]\ndecisions: [{name: d, threshold: 0.5}]\n")
        let query = PushdownQuery(profile: profile, dialect: dialect, source: .table("t"))
        let end = dialect == .spark ? "\\z" : "$"
        #expect(query.numberPattern == "^[ \\t]*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?[ \\t]*" + end)
        #expect(try query.sql().contains(query.literal(query.numberPattern)))
        // ICU reads these patterns as the engines do (`\z` included).
        let expression = try NSRegularExpression(pattern: query.numberPattern)
        for text in ["inf", "-inf", "+INF", "Infinity", "-infinity", " inf ", "nan", "NaN", "-nan"] {
            #expect(expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil, "\(text)")
        }
        for text in ["0.5", "-1e3", " .5\t"] {
            #expect(expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil, "\(text)")
        }
    }

    /// Each dialect's query marks the rows whose number text is not a number before any
    /// other cell, for the score, the weight and a binned attribute, and casts only texts
    /// that match.
    @Test(arguments: PushdownQuery.Dialect.allCases)
    func theQueryMarksNumbersItCannotRead(dialect: PushdownQuery.Dialect) throws {
        let profile = try AuditProfile.parse("""
            name: p
            data: {path: x.csv, score: s, label: y, weight: w}
            sensitive: [g, {column: age, bins: [30, 50]}]
            decisions: [{name: d, threshold: 0.5}]
            """)
        let query = PushdownQuery(profile: profile, dialect: dialect, source: .table("t"))
        let sql = try query.sql()
        let pattern = query.literal(query.numberPattern)
        let casts = sql.components(separatedBy: "THEN CAST(").count - 1
        // The score's and the weight's cast once each, the age's in each of its bins' three
        // tests (missing, below 30, below 50), the flag once per column, and the label's
        // test for a number equal to 1 or 0.
        #expect(sql.components(separatedBy: pattern).count - 1 == 1 + 1 + 3 + 3 + 1)
        #expect(casts >= 3)
        #expect(sql.contains("CASE WHEN x = 1 THEN 'invalid_number' WHEN w IS NULL"), "\(sql)")
        // Declared numbers are not read from text, and need no flag.
        let typed = PushdownQuery(profile: profile, dialect: dialect, source: .table("t"),
                                  columnTypes: ["s": .double, "w": .double, "age": .integer, "y": .integer])
        let typedSQL = try typed.sql()
        #expect(!typedSQL.contains("invalid_number") && !typedSQL.contains(pattern))
    }
}
