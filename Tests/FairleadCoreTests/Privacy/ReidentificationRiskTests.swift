import Foundation
import Testing
@testable import FairleadCore

/// Small cases worked by hand, and the edges: one row, every row unique, missing values.
@Suite struct ReidentificationRiskTests {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }

    static func categorical(_ values: [String?]) -> CategoricalColumn {
        var levels: [String] = []
        var index: [String: Int32] = [:]
        let codes = values.map { value -> Int32 in
            guard let value else { return -1 }
            if let code = index[value] { return code }
            index[value] = Int32(levels.count)
            levels.append(value)
            return Int32(levels.count - 1)
        }
        return CategoricalColumn(codes: codes, levels: levels)
    }

    /// Classes A = {x, y, x} and B = {x, z} (n = 5). By hand: k = 2; prosecutor highest ½,
    /// average 2/5; with k = 3 the two rows of B are at risk (2/5). Distinct l = 2; entropy
    /// l = exp(H_A) = 3 / 2^(2/3) (H_A = ln 3 − ⅔ ln 2 < H_B = ln 2); t (equal distance,
    /// p = (3/5, 1/5, 1/5)): A ½(1/15 + 2/15 + 3/15) = 1/5, B ½(1/10 + 1/5 + 3/10) = 3/10.
    @Test func aSmallCaseByHand() {
        let classes = EquivalenceClasses(columns: [Self.categorical(["a", "a", "a", "b", "b"])])
        #expect(classes.sizes == [3, 2])
        #expect(classes.classOfRow == [0, 0, 0, 1, 1])
        let sensitive = SensitiveValueCodes(column: Column(name: "s", storage: .categorical(Self.categorical(["x", "y", "x", "x", "z"]))))
        let risk = ReidentificationRisk(classes: classes, riskThreshold: 3, sensitive: [(name: "s", values: sensitive)])
        #expect(risk.kAnonymity == 2)
        #expect(risk.uniqueRecords == 0)
        #expect(risk.recordsBelowThreshold == 2)
        #expect(risk.classesBelowThreshold == 1)
        #expect(Self.close(risk.prosecutor.highest, 0.5))
        #expect(Self.close(risk.prosecutor.average, 0.4))
        #expect(Self.close(risk.prosecutor.recordsAtRisk, 0.4))
        #expect(risk.journalist == risk.prosecutor)
        #expect(Self.close(risk.marketer, 0.4))
        let s = risk.sensitive[0]
        #expect(!s.isNumerical)
        #expect(s.distinctValues == 3)
        #expect(s.distinctL == 2)
        #expect(Self.close(s.entropyL, 3 / pow(2, 2.0 / 3)))
        #expect(Self.close(s.tCloseness, 0.3))
    }

    /// The same classes with numbers 1, 2, 1, 1, 3: ordered distance over m = 3 values.
    /// A: q − p = (1/15, 2/15, −3/15), running sums 1/15, 3/15, 0 → (4/15)/2 = 2/15.
    /// B: q − p = (−1/10, −1/5, 3/10), running sums −1/10, −3/10, 0 → (4/10)/2 = 1/5.
    @Test func numericalTClosenessByHand() {
        let classes = EquivalenceClasses(columns: [Self.categorical(["a", "a", "a", "b", "b"])])
        let numbers = NumericColumn(values: [1, 2, 1, 1, 3], isMissing: [false, false, false, false, false])
        let sensitive = SensitiveValueCodes(column: Column(name: "n", storage: .numeric(numbers)))
        #expect(sensitive.isNumerical)
        #expect(sensitive.codes == [0, 1, 0, 0, 2])
        let risk = ReidentificationRisk(classes: classes, riskThreshold: 5, sensitive: [(name: "n", values: sensitive)])
        #expect(Self.close(risk.sensitive[0].tCloseness, 0.2))
        #expect(risk.recordsBelowThreshold == 5)
    }

    /// The ordered distance follows the numbers' order, not the order of appearance:
    /// 10, 2, 10 is 2 < 10.
    @Test func numbersAreOrderedByValue() {
        let numbers = NumericColumn(values: [10, 2, 10, -0.0, 0], isMissing: [false, false, false, false, false])
        let codes = SensitiveValueCodes(column: Column(name: "n", storage: .numeric(numbers)))
        #expect(codes.codes == [2, 1, 2, 0, 0])
        #expect(codes.valueCount == 3)
    }

    /// A missing quasi-identifier value is a value of its own: the two rows missing `zip3`
    /// form one class, apart from the row holding "" nowhere (the reader makes "" missing).
    @Test func missingIsAValueOfItsOwn() {
        let classes = EquivalenceClasses(columns: [Self.categorical([nil, "100", nil, "100", "200"]),
                                                  Self.categorical(["f", "f", "f", "f", "m"])])
        #expect(classes.sizes == [2, 2, 1])
        let missingSensitive = SensitiveValueCodes(column: Column(name: "s", storage: .categorical(Self.categorical(["x", nil, nil, "x", "y"]))))
        #expect(missingSensitive.valueCount == 3)
        let risk = ReidentificationRisk(classes: classes, riskThreshold: 2, sensitive: [(name: "s", values: missingSensitive)])
        #expect(risk.uniqueRecords == 1)
        #expect(risk.sensitive[0].distinctL == 1)
    }

    @Test func oneRow() {
        let classes = EquivalenceClasses(columns: [Self.categorical(["only"])])
        let numbers = NumericColumn(values: [4], isMissing: [false])
        let risk = ReidentificationRisk(classes: classes, riskThreshold: 5,
                                        sensitive: [(name: "n", values: SensitiveValueCodes(column: Column(name: "n", storage: .numeric(numbers))))])
        #expect(risk.kAnonymity == 1)
        #expect(risk.uniqueRecords == 1)
        #expect(risk.uniqueShare == 1)
        #expect(risk.prosecutor.highest == 1)
        #expect(risk.marketer == 1)
        // One value in the whole table: the ordered distance would divide by m − 1 = 0; no class can differ.
        #expect(risk.sensitive[0].tCloseness == 0)
        #expect(risk.sensitive[0].entropyL == 1)
    }

    /// Every row unique: k = 1, every record at risk, marketer risk 1, l = 1 and each
    /// class's t is the distance of a point mass from the table's distribution.
    @Test func everyRowUnique() {
        let n = 200
        let classes = EquivalenceClasses(codes: [(0..<Int32(n)).map { $0 }])
        #expect(classes.classCount == n)
        let values = SensitiveValueCodes(codes: (0..<n).map { Int32($0 % 4) }, valueCount: 4, isNumerical: false)
        let risk = ReidentificationRisk(classes: classes, riskThreshold: 2, sensitive: [(name: "s", values: values)])
        #expect(risk.kAnonymity == 1)
        #expect(risk.uniqueRecords == n)
        #expect(risk.recordsBelowThreshold == n)
        #expect(risk.prosecutor.recordsAtRisk == 1)
        #expect(risk.marketer == 1)
        #expect(risk.sensitive[0].distinctL == 1)
        // A point mass against four equal values: ½(¾ + 3·¼) = ¾.
        #expect(Self.close(risk.sensitive[0].tCloseness, 0.75))
    }

    /// Columns are combined pairwise: ("1", "23") and ("12", "3") are different classes,
    /// however their strings would concatenate.
    @Test func columnsDoNotRunTogether() {
        let classes = EquivalenceClasses(columns: [Self.categorical(["1", "12", "1"]), Self.categorical(["23", "3", "23"])])
        #expect(classes.sizes == [2, 1])
    }
}
