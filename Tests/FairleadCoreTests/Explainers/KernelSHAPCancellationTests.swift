import Foundation
import Testing
@testable import FairleadCore

/// KernelSHAP stops at the first check after its ``Cancellation`` is cancelled or past its
/// deadline — between leads and between batches of coalitions — and throws
/// `CancellationError`. The model cancels the work itself at a chosen evaluation, so the
/// tests count evaluations, never time.
@Suite("KernelSHAP cancellation")
struct KernelSHAPCancellationTests {
    /// 12 features, 2,048 sampled coalitions against 1,024 background rows: 64 coalitions a
    /// batch, 32 batches (model evaluations) per lead.
    private static let features = 12
    private static let backgroundRows = 1_024

    private static func background() -> Matrix {
        matrix(backgroundRows, features) { row, column in Double((row * 7 + column * 3) % 11) }
    }

    private static func leads(_ count: Int) -> Matrix {
        matrix(count, features) { row, column in Double((row + column) % 5) + 0.5 }
    }

    @Test func cancellingStopsBetweenBatchesOfCoalitions() throws {
        let model = CountingModel(features: Self.features)
        let kernel = try KernelSHAP(model: model, background: Self.background(), sampleCount: 2_048, seed: 1,
                                    allowClosedForm: false)
        #expect(!kernel.isExact)
        let cancellation = Cancellation()
        // Evaluation 1 is the leads' own margins; 2 and 3 are coalition batches of lead 0.
        model.reset(cancelling: cancellation, atEvaluation: 3)
        #expect(throws: CancellationError.self) { try kernel.explain(Self.leads(1), threads: 1, cancellation: cancellation) }
        // Lead 0 alone has 32 batches: the work stopped at the next one.
        #expect(model.evaluations == 3)
    }

    @Test(arguments: [1, 2])
    func cancellingStopsBetweenLeads(threads: Int) throws {
        let model = CountingModel(features: 3)
        // 3 features: the 6 coalitions are enumerated, valued in one evaluation per lead.
        let background = matrix(4, 3) { row, column in Double(row + column) }
        let kernel = try KernelSHAP(model: model, background: background, sampleCount: 64, seed: 0, allowClosedForm: false)
        #expect(kernel.isExact)
        let cancellation = Cancellation()
        model.reset(cancelling: cancellation, atEvaluation: 5)
        let leads = matrix(200, 3) { row, column in Double(row % 7 + column) }
        #expect(throws: CancellationError.self) { try kernel.explain(leads, threads: threads, cancellation: cancellation) }
        // 201 evaluations without the cancellation; each thread finishes at most the lead it
        // was valuing when the cancellation came.
        #expect(model.evaluations <= 5 + threads)
    }

    @Test func aDeadlineInThePastStopsBeforeAnyCoalition() throws {
        let model = CountingModel(features: Self.features)
        let kernel = try KernelSHAP(model: model, background: Self.background(), sampleCount: 2_048, seed: 1,
                                    allowClosedForm: false)
        model.reset(cancelling: nil, atEvaluation: 0)
        let past = Cancellation(deadline: .now - .seconds(1))
        #expect(past.isCancelled)
        #expect(throws: CancellationError.self) { try kernel.explain(Self.leads(3), threads: 1, cancellation: past) }
        #expect(model.evaluations == 0)
    }

    /// Closed-form games (the tree game, the linear one) check between leads too.
    @Test func theClosedFormsStopBetweenLeads() throws {
        let linear = LinearModel(featureNames: ["a", "b", "c"], coefficients: [1, -2, 0.5], intercept: 0.25, link: .identity)
        let background = matrix(4, 3) { row, column in Double(row + column) }
        let kernel = try KernelSHAP(model: linear, background: background, sampleCount: 64)
        let cancelled = Cancellation()
        cancelled.cancel()
        #expect(throws: CancellationError.self) { try kernel.explain(matrix(1, 3) { _, column in Double(column) }, threads: 1, cancellation: cancelled) }
    }

    @Test func withoutACancellationTheAttributionsAreTheSame() throws {
        let model = CountingModel(features: Self.features)
        let kernel = try KernelSHAP(model: model, background: Self.background(), sampleCount: 256, seed: 4,
                                    allowClosedForm: false)
        let x = Self.leads(3)
        let plain = try kernel.explain(x, threads: 2)
        let watched = try kernel.explain(x, threads: 2, cancellation: Cancellation(deadline: .now + .seconds(86_400)))
        #expect(plain.values == watched.values)
        #expect(plain.standardErrors == watched.standardErrors)
    }
}

/// A `rows` × `columns` matrix of `value(row, column)`.
private func matrix(_ rows: Int, _ columns: Int, _ value: (Int, Int) -> Double) -> Matrix {
    Matrix(rows: rows, columns: columns, values: (0..<rows * columns).map { value($0 / columns, $0 % columns) })
}

/// A linear margin (Σ xⱼ · (j + 1)) that counts its evaluations and cancels a
/// ``Cancellation`` at the one asked for.
private final class CountingModel: Model, @unchecked Sendable {
    let featureNames: [String]
    let link = Link.identity
    private let lock = NSLock()
    private var count = 0
    private var target: (cancellation: Cancellation?, evaluation: Int)?

    init(features: Int) {
        featureNames = (0..<features).map { "f\($0)" }
    }

    func reset(cancelling cancellation: Cancellation?, atEvaluation evaluation: Int) {
        lock.lock()
        count = 0
        target = (cancellation, evaluation)
        lock.unlock()
    }

    var evaluations: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func margins(_ features: Matrix) -> [Double] {
        lock.lock()
        count += 1
        if let target, count == target.evaluation { target.cancellation?.cancel() }
        lock.unlock()
        return (0..<features.rows).map { row in
            features.row(row).enumerated().reduce(0) { $0 + $1.element * Double($1.offset + 1) }
        }
    }
}
