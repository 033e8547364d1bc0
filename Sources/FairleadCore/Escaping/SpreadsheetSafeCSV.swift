/// THE CSV cell writer of Fairlead: every CSV output (`explain --format csv`,
/// `attributions`) writes each cell — ids, names, values, reasons, headers — through it.
///
/// Cells are safe to open in a spreadsheet (CSV or formula injection, OWASP): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
/// LibreOffice and Google Sheets as a formula, so such a cell gets a leading `'` — unless
/// it is a plain number such as `-0.42`, which a spreadsheet reads as that number. Leading
/// spaces do not hide one (` =cmd` gets its `'` too): an importer that trims cells reads
/// it as `=cmd`.
/// Controls, line breaks and bidirectional format characters are first made visible as
/// ``TerminalEscaping`` shows them (`\x1B`, `\n`, `\u{202E}`), so a cell is one line and a
/// file shown in a terminal or imported into a CRM carries no raw control character (the
/// JSON outputs keep exact values). Then RFC 4180 applies: a cell holding a comma or a
/// quote is quoted and its quotes doubled.
///
///     SpreadsheetSafeCSV.field("=HYPERLINK(\"http://x\")")   // "'=HYPERLINK(""http://x"")" quoted
///     SpreadsheetSafeCSV.field("-0.42")                      // -0.42
///     SpreadsheetSafeCSV.field("@SUM(A1)")                   // '@SUM(A1)
///     SpreadsheetSafeCSV.field("a\nb")                       // a\nb (one line)
public enum SpreadsheetSafeCSV {
    /// `text` as one CSV cell, escaped against formulas and quoted as RFC 4180 needs.
    public static func field(_ text: String) -> String {
        var output: [UInt8] = []
        _ReasonBytes.withBytes(of: text) { _ReasonBytes.appendCSVCell($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// `cells` as one CSV line, each a ``field(_:)``, with its line feed.
    public static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\n"
    }

    /// Whether `text` is a decimal number and nothing else: `[+-]digits[.digits][e[+-]digits]`.
    public static func isPlainNumber(_ text: String) -> Bool {
        _ReasonBytes.withBytes(of: text) { _ReasonBytes.isPlainNumber($0) }
    }
}
