import FairleadCore
import FairleadTestSupport

func randomMatrix(_ rows: Int, _ columns: Int, using generator: inout SplitMix64) -> Matrix {
    Matrix(rows: rows, columns: columns,
           values: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &generator) })
}

func randomVector(_ count: Int, using generator: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
}

/// op(A)·op(B) by the textbook triple loop.
func referenceProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
    let opA = transposeA ? referenceTranspose(a) : a
    let opB = transposeB ? referenceTranspose(b) : b
    var c = Matrix(rows: opA.rows, columns: opB.columns)
    for i in 0..<opA.rows {
        for j in 0..<opB.columns {
            var sum = 0.0
            for l in 0..<opA.columns { sum += opA[i, l] * opB[l, j] }
            c[i, j] = sum
        }
    }
    return c
}

func referenceTranspose(_ a: Matrix) -> Matrix {
    var t = Matrix(rows: a.columns, columns: a.rows)
    for i in 0..<a.rows {
        for j in 0..<a.columns { t[j, i] = a[i, j] }
    }
    return t
}

func maxAbsDifference(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    return zip(x, y).map { abs($0 - $1) }.max() ?? 0
}

/// Shapes (m, n, k) covering empty, 1 × n, n × 1 and ordinary sizes.
let productShapes: [(Int, Int, Int)] = [
    (0, 0, 0), (0, 3, 2), (3, 0, 2), (3, 2, 0), (1, 1, 1), (1, 7, 5), (7, 1, 5),
    (5, 7, 1), (1, 1, 9), (4, 6, 3), (17, 13, 29), (64, 33, 48),
]
