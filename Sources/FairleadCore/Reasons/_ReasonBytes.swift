/// Byte-level formatting for explanation output: numbers without making `String`s,
/// JSON string escaping and spreadsheet-safe CSV cells. Writing millions of leads, the
/// output is UTF-8 bytes appended to a buffer per chunk of leads.
enum _ReasonBytes {
    static let quote = UInt8(ascii: "\"")

    /// `value` rounded half away from zero to `decimals` decimals, trailing zeros (and a
    /// bare point) dropped unless `trimming` is false: 0.93335962 → "0.93336" at five,
    /// 21.0 → "21", −0.0004 → "0" at two; 0.5 → "0.50" at two untrimmed.
    /// Magnitudes of 1e12 and more are written by the standard library.
    static func appendDecimal(_ value: Double, decimals: Int, trimming: Bool = true, to output: inout [UInt8]) {
        guard value.isFinite else {
            output += value.isNaN ? Array("nan".utf8) : Array((value > 0 ? "inf" : "-inf").utf8)
            return
        }
        guard abs(value) < 1e12 else {
            output += Array("\(value)".utf8)
            return
        }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = UInt64((abs(value) * Double(scale)).rounded())
        if units == 0 && trimming {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 && units > 0 { output.append(UInt8(ascii: "-")) }
        appendInteger(units / scale, to: &output)
        var fraction = units % scale
        var digits = decimals
        if trimming {
            guard fraction > 0 else { return }
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
        }
        guard digits > 0 else { return }
        output.append(UInt8(ascii: "."))
        var divisor: UInt64 = 1
        for _ in 1..<max(1, digits) { divisor *= 10 }
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8((fraction / divisor) % 10))
            divisor /= 10
        }
    }

    /// `value` as a JSON number (``appendDecimal(_:decimals:trimming:to:)``), or `null`
    /// and `false` when it is not finite: JSON has no `inf` or `nan`, and a margin or
    /// contribution that is not finite was to be refused before writing
    /// (``Attributions/requireFinite(locate:)``), so the caller reports a bug.
    static func appendJSONNumber(_ value: Double, decimals: Int, to output: inout [UInt8]) -> Bool {
        guard value.isFinite else {
            output += Array("null".utf8)
            return false
        }
        appendDecimal(value, decimals: decimals, to: &output)
        return true
    }

    /// The decimal digits of `value`.
    static func appendInteger(_ value: UInt64, to output: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }

    /// `bytes` as a JSON string literal (quotes, backslashes and control characters escaped).
    /// DEL, C1 controls and bidirectional characters are written `\uXXXX` too (``JSONEscaping``).
    static func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard _VisibleBytes.isJSONPlain(bytes) else {
            var string: [UInt8] = []
            appendPlainJSONString(bytes, to: &string)
            string.withUnsafeBufferPointer { _VisibleBytes.appendJSONEscapingHidden($0, to: &output) }
            return
        }
        appendPlainJSONString(bytes, to: &output)
    }

    /// `bytes` as a JSON string literal, C0 controls, quotes and backslashes escaped.
    private static func appendPlainJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(quote)
        for byte in bytes {
            switch byte {
            case quote: output += [UInt8(ascii: "\\"), quote]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                           hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: output.append(byte)
            }
        }
        output.append(quote)
    }

    /// `bytes` as one spreadsheet-safe CSV cell (see ``SpreadsheetSafeCSV``): controls
    /// made visible first (so a cell is never more than one line), then a formula
    /// neutralised, then quoted when it holds a comma or a quote.
    static func appendCSVCell(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard _VisibleBytes.isPlain(bytes) else {
            var visible: [UInt8] = []
            _VisibleBytes.append(bytes, to: &visible)
            // A leading tab or carriage return, shown as `\t` or `\r`, still gets its `'`
            // as OWASP asks.
            let leadingFormula = firstAfterSpaces(bytes).map(startsFormula) == true
            visible.withUnsafeBufferPointer { appendPlainCSVCell($0, forcingFormulaEscape: leadingFormula, to: &output) }
            return
        }
        appendPlainCSVCell(bytes, forcingFormulaEscape: false, to: &output)
    }

    /// `bytes`, holding no control character, as one spreadsheet-safe CSV cell.
    private static func appendPlainCSVCell(_ bytes: UnsafeBufferPointer<UInt8>, forcingFormulaEscape: Bool,
                                           to output: inout [UInt8]) {
        let escape = forcingFormulaEscape || (firstAfterSpaces(bytes).map(startsFormula) == true && !isPlainNumber(bytes))
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == quote }
        if needsQuotes { output.append(quote) }
        if escape { output.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in bytes {
                output.append(byte)
                if byte == quote { output.append(quote) }
            }
            output.append(quote)
        } else {
            output.append(contentsOf: bytes)
        }
    }

    /// `bytes` for a terminal, controls made visible (see ``TerminalEscaping``).
    static func appendTerminalText(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        if _VisibleBytes.isPlain(bytes) {
            output.append(contentsOf: bytes)
        } else {
            _VisibleBytes.append(bytes, to: &output)
        }
    }

    /// The first byte after any leading spaces: an importer that trims cells (a CRM's, or a
    /// spreadsheet's "trim spaces" option) reads ` =cmd` as `=cmd`, so the formula check
    /// looks past them.
    @inline(__always)
    static func firstAfterSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        bytes.first { $0 != UInt8(ascii: " ") }
    }

    /// Whether a cell starting with `byte` reads as a formula: `=`, `+`, `-`, `@`, tab, carriage return.
    @inline(__always)
    static func startsFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// Whether `bytes` are a decimal number and nothing else: `[+-]digits[.digits][e[+-]digits]`.
    static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isSign(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") }
        if index < count, isSign(bytes[index]) { index += 1 }
        var digits = 0
        while index < count, isDigit(bytes[index]) { index += 1; digits += 1 }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, isDigit(bytes[index]) { index += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, isSign(bytes[index]) { index += 1 }
            var exponent = 0
            while index < count, isDigit(bytes[index]) { index += 1; exponent += 1 }
            guard exponent > 0 else { return false }
        }
        return index == count
    }

    /// Calls `body` with the UTF-8 bytes of `text`.
    @inline(__always)
    static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = text
        return text.withUTF8(body)
    }
}
