import Foundation

/// A linear map from data values to SVG coordinates, and its axis ticks.
///
///     let x = LinearScale(domain: 0...1, range: 100...500)
///     x(0.25)          // 200
///     x.ticks()        // [0, 0.2, 0.4, 0.6, 0.8, 1]
struct LinearScale: Sendable, Equatable {
    /// The data values shown; never empty (a single value is widened by ±0.5).
    let lower: Double
    let upper: Double
    /// The coordinates they map to (`start` may exceed `end`, for a y axis that grows upward).
    let start: Double
    let end: Double

    /// The largest magnitude a domain reaches: a value from a saved report or a history's
    /// metric rows may be ±1e308, whose widths and padding overflow to infinity (and a
    /// domain to NaN); beyond this a chart shows the value at the axis's end.
    static let magnitudeLimit = 1e300

    /// `value` within ±``magnitudeLimit``.
    static func bounded(_ value: Double) -> Double {
        min(max(value, -magnitudeLimit), magnitudeLimit)
    }

    /// `lower...upper` when it has a width; else `lower` ± 0.5, or ± more where 0.5 is lost
    /// in rounding (1e300 − 0.5 is 1e300).
    static func widened(_ lower: Double, _ upper: Double) -> (lower: Double, upper: Double) {
        guard !(upper > lower) else { return (lower, upper) }
        let half = max(0.5, abs(lower) * 1e-6)
        return (lower - half, lower + half)
    }

    init(domain: ClosedRange<Double>, range: ClosedRange<Double>, flipped: Bool = false) {
        (lower, upper) = Self.widened(Self.bounded(domain.lowerBound), Self.bounded(domain.upperBound))
        self.start = flipped ? range.upperBound : range.lowerBound
        self.end = flipped ? range.lowerBound : range.upperBound
    }

    /// The coordinate of `value` (values outside the domain are clamped to its ends).
    func callAsFunction(_ value: Double) -> Double {
        let clamped = min(max(value, lower), upper)
        return start + (clamped - lower) / (upper - lower) * (end - start)
    }

    /// The step between about `count` ticks: 1, 2 or 5 × 10^k.
    func tickStep(count: Int = 5) -> Double {
        let raw = (upper - lower) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Tick values inside the domain, multiples of ``tickStep(count:)``.
    func ticks(count: Int = 5) -> [Double] {
        let step = tickStep(count: count)
        var value = (lower / step).rounded(.up) * step
        var ticks: [Double] = []
        while value <= upper + step * 1e-9 && ticks.count < 50 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// A domain that holds `values` (and `including`), padded by `padding` of its width,
    /// with ends on whole tick steps so the axis ends on a labelled tick.
    static func domain(holding values: [Double], including: [Double] = [], padding: Double = 0.04) -> ClosedRange<Double> {
        let all = (values + including).filter(\.isFinite).map(bounded)
        guard let smallest = all.min(), let largest = all.max() else { return 0...1 }
        let (low, high) = widened(smallest, largest)
        let pad = (high - low) * padding
        let padded = LinearScale(domain: (low - (low == 0 ? 0 : pad))...(high + pad), range: 0...1)
        let step = padded.tickStep()
        let (lower, upper) = ((padded.lower / step).rounded(.down) * step, (padded.upper / step).rounded(.up) * step)
        return lower <= upper ? lower...upper : padded.lower...padded.upper
    }
}
