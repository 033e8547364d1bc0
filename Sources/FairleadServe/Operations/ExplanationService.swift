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
    /// there are cores, rather than on the tasks' threads: a long one then never holds up
    /// the timer that answers 503.
    private let work: OperationQueue = {
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        queue.name = "fairlead.serve.explanations"
        return queue
    }()
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
    /// `inline` work (one posted lead: microseconds, less than the two thread hops cost,
    /// and too short to hold up the timer).
    func compute<Value: Sendable>(inline: Bool = false, _ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        if inline { return try body() }
        return try await withCheckedThrowingContinuation { continuation in
            work.addOperation { continuation.resume(with: Result { try body() }) }
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
