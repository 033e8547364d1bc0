import Testing
@testable import FairleadCore
import FairleadTestSupport

@Suite("Matrix")
struct MatrixTests {
    @Test func storesRowMajor() {
        var m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(m[0, 2] == 3)
        #expect(m[1, 0] == 4)
        #expect(Array(m.row(1)) == [4, 5, 6])
        #expect(m.column(1) == [2, 5])
        m[1, 2] = 60
        #expect(m.values == [1, 2, 3, 4, 5, 60])
        m.setRow(0, to: [7, 8, 9])
        #expect(m.values == [7, 8, 9, 4, 5, 60])
    }

    @Test func repeatingAndRowArrays() {
        let filled = Matrix(rows: 2, columns: 2, repeating: 1.5)
        #expect(filled.values == [1.5, 1.5, 1.5, 1.5])
        let fromRows = Matrix(rowArrays: [[1, 2], [3, 4], [5, 6]])
        #expect(fromRows.rows == 3 && fromRows.columns == 2)
        #expect(fromRows.values == [1, 2, 3, 4, 5, 6])
        let noRows = Matrix(rowArrays: [], columns: 4)
        #expect(noRows.rows == 0 && noRows.columns == 4 && noRows.isEmpty)
    }

    @Test func identity() {
        let eye = Matrix.identity(3)
        #expect(eye.values == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix.identity(0).isEmpty)
    }

    @Test(arguments: [(0, 0), (0, 4), (4, 0), (1, 6), (6, 1), (5, 9)])
    func transposeMatchesReference(rows: Int, columns: Int) {
        var generator = SplitMix64(seed: UInt64(rows * 31 + columns))
        let a = randomMatrix(rows, columns, using: &generator)
        let t = a.transposed()
        #expect(t == referenceTranspose(a))
        #expect(t.rows == columns && t.columns == rows)
        #expect(t.transposed() == a)
    }
}
