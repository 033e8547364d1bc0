import FairleadCore
import Foundation
import Logging

/// The service's state: the loaded profile, swapped atomically by ``reload()``. A
/// request takes the current one once and answers from it, so a reload never mixes an
/// old model with new reasons.
public final class ExplanationService: @unchecked Sendable {
    /// The configuration the service started with (reloads read the same paths).
    public let configuration: ServeConfiguration
    /// Each bucket's limiter (``rateLimiter(_:)``), all with `--rate` and `--burst`.
    private let rateLimiters: [RateBucket: RateLimiter]
    /// The metrics.
    public let metrics: ServeMetrics
    /// The names requests may address the service by.
    public let hosts: HostAllowList
    private let lock = NSLock()
    private var loaded: LoadedProfile
    /// Explanations of batches and of the data file's leads run here, as many at a time as
    /// there are cores, on threads of their own rather than the tasks' (``ExplanationThreads``):
    /// a long one then never holds up the timer that answers 503.
    let work = ExplanationThreads(width: max(1, ProcessInfo.processInfo.activeProcessorCount))
    private var reloadCount = 0

    /// A service answering from `loaded`; `clock` gives the rate limiter's seconds
    /// (monotonic), replaceable in tests so that a slow machine cannot refill a bucket.
    public init(configuration: ServeConfiguration, loaded: LoadedProfile, metrics: ServeMetrics = ServeMetrics(),
                clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        // Out-of-range limits are refused by the command (ServeLimits.problems); a caller
        // of the library that skipped the check must not get a timer that traps.
        precondition(configuration.limits.problems.isEmpty, "serve limits out of range: \(configuration.limits.problems)")
        self.configuration = configuration
        self.loaded = loaded
        self.metrics = metrics
        self.hosts = HostAllowList(configuration)
        self.rateLimiters = Dictionary(uniqueKeysWithValues: RateBucket.allCases.map { bucket in
            (bucket, RateLimiter(ratePerSecond: configuration.limits.ratePerSecond, burst: configuration.limits.burst, clock: clock))
        })
    }

    /// The limiter of `bucket`: requests per key (without keys: of all callers) to the
    /// API's routes, or to `/metrics`, each bucket apart.
    public func rateLimiter(_ bucket: RateBucket) -> RateLimiter {
        guard let limiter = rateLimiters[bucket] else { preconditionFailure("no rate limiter for the bucket \(bucket)") }
        return limiter
    }

    /// The profile answered from now.
    public var current: LoadedProfile {
        lock.lock()
        defer { lock.unlock() }
        return loaded
    }

    /// The result of `body`, computed on the explanation threads — or right here for
    /// `inline` work (one posted lead explained in closed form: microseconds, less than the
    /// two thread hops cost, and too short to hold up the timer).
    ///
    /// `body` must pass `cancellation` to the work, which checks it between leads: it is
    /// cancelled when the calling task is (the request's timer, ``ServeMiddleware/within(_:seconds:_:)``)
    /// and stops by itself at its deadline, so a request that timed out frees its thread
    /// for the others instead of running on. Work that waited for a thread past its
    /// deadline ends as it gets one, before any of it is done.
    ///
    /// - Throws: `CancellationError` once `cancellation` is cancelled or past its deadline,
    ///   and what `body` throws.
    func compute<Value: Sendable>(inline: Bool = false, cancellation: Cancellation,
                                  _ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withTaskCancellationHandler {
            try cancellation.check()
            if inline { return try body() }
            return try await withCheckedThrowingContinuation { continuation in
                work.run {
                    continuation.resume(with: Result {
                        try cancellation.check()
                        return try body()
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Successful reloads so far.
    public var reloads: Int {
        lock.lock()
        defer { lock.unlock() }
        return reloadCount
    }

    /// Loads the profile, model and keys again and answers from them from now on; when
    /// anything fails to load, keeps answering from the old ones and throws.
    public func reload() throws {
        do {
            let fresh = try LoadedProfile(configuration)
            lock.lock()
            loaded = fresh
            reloadCount += 1
            lock.unlock()
            metrics.record(reload: .succeeded)
        } catch {
            metrics.record(reload: .failed)
            throw error
        }
    }
}
