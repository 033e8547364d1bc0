/// CSV cells that are safe to open in a spreadsheet (CSV or formula injection, OWASP):
/// a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
/// LibreOffice and Google Sheets as a formula, so such a cell gets a leading `'` — unless
/// it is a plain number such as `-0.42`, which a spreadsheet reads as that number.
/// Then RFC 4180 applies: a cell holding a comma, a quote or a line break is quoted and
/// its quotes doubled.
///
///     SpreadsheetSafeCSV.field("=HYPERLINK(\"http://x\")")   // "'=HYPERLINK(""http://x"")" quoted
///     SpreadsheetSafeCSV.field("-0.42")                      // -0.42
///     SpreadsheetSafeCSV.field("@SUM(A1)")                   // '@SUM(A1)
public enum SpreadsheetSafeCSV {
    /// The characters that make a spreadsheet read a cell as a formula.
    public static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` as one CSV cell, escaped against formulas and quoted as RFC 4180 needs.
    public static func field(_ text: String) -> String {
        var cell = text
        if let first = text.first, formulaStarts.contains(first), !isPlainNumber(text) {
            cell = "'" + text
        }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether `text` is a decimal number and nothing else: `[+-]digits[.digits][e[+-]digits]`.
    public static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        var count = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            count += digits()
        }
        guard count > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
