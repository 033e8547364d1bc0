import Foundation

/// A token bucket per caller: `burst` tokens, refilled at `ratePerSecond`; each request
/// takes one. A caller with no token left waits ``Decision/retryAfter`` seconds.
public final class RateLimiter: @unchecked Sendable {
    /// What a request may do.
    public enum Decision: Sendable, Equatable {
        /// Go ahead.
        case allowed
        /// Wait this many whole seconds (at least 1) before trying again.
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Tokens added per second (0: no limit).
    public let ratePerSecond: Double
    /// The bucket's size.
    public let burst: Int
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private let clock: @Sendable () -> Double

    /// Seconds since boot: the clock a limiter reads unless a test gives it another.
    public static let monotonicSeconds: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// A limiter; `clock` gives seconds (monotonic), replaceable in tests.
    public init(ratePerSecond: Double, burst: Int, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
        self.clock = clock
    }

    /// Takes a token from `caller`'s bucket if it has one.
    public func take(for caller: String) -> Decision {
        guard ratePerSecond > 0 else { return .allowed }
        let now = clock()
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[caller] ?? Bucket(tokens: Double(burst), updated: now)
        bucket.tokens = min(Double(burst), bucket.tokens + (now - bucket.updated) * ratePerSecond)
        bucket.updated = now
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            buckets[caller] = bucket
            return .allowed
        }
        buckets[caller] = bucket
        return .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / ratePerSecond).rounded(.up))))
    }
}

/// Which of a caller's token buckets a request takes from (``ServeRoute/rateBucket``); each
/// has `--burst` tokens and refills at `--rate`.
public enum RateBucket: String, Sendable, CaseIterable {
    /// The explanation routes (`/v1/…`).
    case api
    /// `GET /metrics`.
    case metrics
}
