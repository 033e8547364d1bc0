/// One batch's leads and chosen reasons as the writer reads them, through the unsafe
/// views of a ``_ReasonScope``; writes one lead at a time as JSON, CSV or text bytes.
struct _LeadView {
    let scope: _ReasonScope
    let ids: UnsafeBufferPointer<String>
    /// ``LeadBatch/sentWithoutID``.
    let sentWithoutID: [Bool]
    let raisingSources: UnsafeBufferPointer<Int32>
    let raisingContributions: UnsafeBufferPointer<Double>
    let loweringSources: UnsafeBufferPointer<Int32>
    let loweringContributions: UnsafeBufferPointer<Double>
    let margins: UnsafeBufferPointer<Double>
    let top: Int
    let link: Link
    /// The attributions' base value (the typical lead's margin).
    let baseValue: Double

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// The reasons of one direction: (source, contribution) while the source is set.
    private func reasons(_ row: Int, raising: Bool) -> [(source: Int, contribution: Double)] {
        let sources = raising ? raisingSources : loweringSources
        let contributions = raising ? raisingContributions : loweringContributions
        var result: [(source: Int, contribution: Double)] = []
        for k in 0..<top {
            let source = sources[row * top + k]
            guard source >= 0 else { break }
            result.append((Int(source), contributions[row * top + k]))
        }
        return result
    }

    /// Probability points per margin unit for `row` (nil unless the link is logit).
    private func pointsPerUnit(_ row: Int) -> Double? {
        link.pointsPerMarginUnit(margin: margins[row], baseValue: baseValue)
    }

    // MARK: - JSON

    /// Writes lead `row` as a JSON object; `false` when a number in it was not finite
    /// (written `null`: the caller refuses the output as a bug).
    func writeJSON(_ row: Int, first: Bool, to output: inout [UInt8]) -> Bool {
        var finite = true
        var scratch: [UInt8] = []
        let perUnit = pointsPerUnit(row)
        if !sentWithoutID.isEmpty && sentWithoutID[row] {
            // A lead sent without an id: its position, a number under its own key.
            Self.append(first ? "\n{\"index\":" : ",\n{\"index\":", to: &output)
            output.append(contentsOf: ids[row].utf8)
        } else {
            Self.append(first ? "\n{\"id\":" : ",\n{\"id\":", to: &output)
            _ReasonBytes.withBytes(of: ids[row]) { _ReasonBytes.appendJSONString($0, to: &output) }
        }
        Self.append(",\"score\":", to: &output)
        finite = _ReasonBytes.appendJSONNumber(link.prediction(fromMargin: margins[row]), decimals: 6, to: &output) && finite
        Self.append(",\"margin\":", to: &output)
        finite = _ReasonBytes.appendJSONNumber(margins[row], decimals: 6, to: &output) && finite
        for raising in [true, false] {
            Self.append(raising ? ",\"raising\":[" : "],\"lowering\":[", to: &output)
            for (index, reason) in reasons(row, raising: raising).enumerated() {
                Self.append(index == 0 ? "{\"feature\":" : ",{\"feature\":", to: &output)
                _ReasonBytes.appendJSONString(scope.bytes(scope.sources[reason.source].name), to: &output)
                Self.append(",\"reason\":", to: &output)
                scratch.removeAll(keepingCapacity: true)
                scope.appendSentence(reason.source, row, raises: raising, strongest: index == 0, to: &scratch)
                scratch.withUnsafeBufferPointer { _ReasonBytes.appendJSONString($0, to: &output) }
                Self.append(",\"value\":", to: &output)
                finite = appendJSONValue(reason.source, row, to: &output, scratch: &scratch) && finite
                Self.append(",\"typical\":", to: &output)
                finite = appendJSONTypical(reason.source, to: &output, scratch: &scratch) && finite
                Self.append(",\"contribution\":", to: &output)
                finite = _ReasonBytes.appendJSONNumber(reason.contribution, decimals: 6, to: &output) && finite
                Self.append(",\"points\":", to: &output)
                if let perUnit {
                    finite = _ReasonBytes.appendJSONNumber(reason.contribution * perUnit, decimals: 6, to: &output) && finite
                } else {
                    Self.append("null", to: &output)
                }
                output.append(UInt8(ascii: "}"))
            }
        }
        Self.append("]}", to: &output)
        return finite
    }

    private func appendJSONValue(_ source: Int, _ row: Int, to output: inout [UInt8], scratch: inout [UInt8]) -> Bool {
        if scope.isMissing(source, row) {
            Self.append("null", to: &output)
        } else if scope.sources[source].isNumeric {
            return _ReasonBytes.appendJSONNumber(scope.number(source, row), decimals: 6, to: &output)
        } else {
            scratch.removeAll(keepingCapacity: true)
            scope.appendDataValue(source, row, to: &scratch)
            scratch.withUnsafeBufferPointer { _ReasonBytes.appendJSONString($0, to: &output) }
        }
        return true
    }

    private func appendJSONTypical(_ source: Int, to output: inout [UInt8], scratch: inout [UInt8]) -> Bool {
        let wording = scope.sources[source]
        if wording.isNumeric {
            if wording.typicalNumber.isNaN {
                Self.append("null", to: &output)
            } else {
                return _ReasonBytes.appendJSONNumber(wording.typicalNumber, decimals: 6, to: &output)
            }
        } else {
            _ReasonBytes.appendJSONString(scope.bytes(wording.typicalText), to: &output)
        }
        return true
    }

    // MARK: - CSV

    func writeCSV(_ row: Int, to output: inout [UInt8]) {
        var scratch: [UInt8] = []
        let perUnit = pointsPerUnit(row)
        _ReasonBytes.withBytes(of: ids[row]) { _ReasonBytes.appendCSVCell($0, to: &output) }
        output.append(UInt8(ascii: ","))
        _ReasonBytes.appendDecimal(link.prediction(fromMargin: margins[row]), decimals: 6, to: &output)
        output.append(UInt8(ascii: ","))
        _ReasonBytes.appendDecimal(margins[row], decimals: 6, to: &output)
        for raising in [true, false] {
            let list = reasons(row, raising: raising)
            for k in 0..<top {
                guard k < list.count else {
                    Self.append(",,,,,,", to: &output)
                    continue
                }
                let (source, contribution) = list[k]
                output.append(UInt8(ascii: ","))
                cell(&scratch, to: &output) { scope.appendSentence(source, row, raises: raising, strongest: k == 0, to: &$0) }
                output.append(UInt8(ascii: ","))
                _ReasonBytes.appendCSVCell(scope.bytes(scope.sources[source].name), to: &output)
                output.append(UInt8(ascii: ","))
                cell(&scratch, to: &output) { scope.appendDataValue(source, row, to: &$0) }
                output.append(UInt8(ascii: ","))
                cell(&scratch, to: &output) { scope.appendTypicalData(source, to: &$0) }
                output.append(UInt8(ascii: ","))
                _ReasonBytes.appendDecimal(contribution, decimals: 6, to: &output)
                output.append(UInt8(ascii: ","))
                if let perUnit { _ReasonBytes.appendDecimal(contribution * perUnit, decimals: 6, to: &output) }
            }
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// What `fill` writes, as one spreadsheet-safe cell.
    private func cell(_ scratch: inout [UInt8], to output: inout [UInt8], _ fill: (inout [UInt8]) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        fill(&scratch)
        scratch.withUnsafeBufferPointer { _ReasonBytes.appendCSVCell($0, to: &output) }
    }

    // MARK: - Text

    func writeText(_ row: Int, to output: inout [UInt8]) {
        let perUnit = pointsPerUnit(row)
        // Ids, values and feature names come from the data: made visible for a terminal.
        var sentence: [UInt8] = []
        Self.append("\nLead ", to: &output)
        _ReasonBytes.withBytes(of: ids[row]) { _ReasonBytes.appendTerminalText($0, to: &output) }
        Self.append(": score ", to: &output)
        _ReasonBytes.appendDecimal(link.prediction(fromMargin: margins[row]), decimals: 3, trimming: false, to: &output)
        output.append(UInt8(ascii: "\n"))
        for raising in [true, false] {
            let list = reasons(row, raising: raising)
            Self.append(raising ? "  Raising the score:" : "  Lowering the score:", to: &output)
            if list.isEmpty {
                Self.append(" none\n", to: &output)
                continue
            }
            output.append(UInt8(ascii: "\n"))
            for (index, reason) in list.enumerated() {
                Self.append(raising ? "    + " : "    - ", to: &output)
                sentence.removeAll(keepingCapacity: true)
                scope.appendSentence(reason.source, row, raises: raising, strongest: index == 0, to: &sentence)
                sentence.withUnsafeBufferPointer { _ReasonBytes.appendTerminalText($0, to: &output) }
                Self.append(reason.contribution < 0 ? " (-" : " (+", to: &output)
                if let perUnit {
                    Self.appendPoints(abs(reason.contribution * perUnit), to: &output)
                    Self.append(" pts)\n", to: &output)
                } else {
                    _ReasonBytes.appendDecimal(abs(reason.contribution), decimals: 2, trimming: false, to: &output)
                    Self.append(")\n", to: &output)
                }
            }
        }
    }

    /// Probability points as a rep reads them: whole points from 9.5 up ("13"), one
    /// decimal below ("4.2", "0.3").
    static func appendPoints(_ points: Double, to output: inout [UInt8]) {
        if points >= 9.5 {
            _ReasonBytes.appendDecimal(points, decimals: 0, to: &output)
        } else {
            _ReasonBytes.appendDecimal(points, decimals: 1, trimming: false, to: &output)
        }
    }
}
