/// A non-negative rational number p / q held exactly, in lowest terms: how the
/// differential-privacy samplers take ε and their scale, so that no floating-point
/// rounding enters the noise (Mironov, CCS 2012).
///
///     let epsilon = try ExactFraction(decimal: "0.25")   // 1/4
///     epsilon.numerator    // 1
///     epsilon.denominator  // 4
public struct ExactFraction: Sendable, Hashable, CustomStringConvertible {
    /// p, ≥ 0.
    public let numerator: UInt64
    /// q, ≥ 1.
    public let denominator: UInt64

    /// The largest numerator or denominator a fraction may have: products of two of
    /// them, and of one with a small count, stay within 64 bits.
    public static let maximumTerm: UInt64 = 1 << 31

    /// p / q reduced to lowest terms; `nil` when q is 0 or a reduced term exceeds
    /// ``maximumTerm``.
    public init?(_ numerator: UInt64, _ denominator: UInt64) {
        guard denominator > 0 else { return nil }
        let divisor = Self.gcd(numerator, denominator)
        let p = numerator / divisor, q = denominator / divisor
        guard p <= Self.maximumTerm, q <= Self.maximumTerm else { return nil }
        self.numerator = p
        self.denominator = q
    }

    /// The exact value of a decimal numeral such as `1`, `0.5` or `.125` (no sign, no
    /// exponent); `nil` for any other text or when it needs more than nine decimals.
    public init?(decimal text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), fraction.count <= 9, whole.count <= 9,
              (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var scale: UInt64 = 1
        for _ in 0..<fraction.count { scale *= 10 }
        guard let digits = UInt64(whole.isEmpty ? String(fraction) : String(whole + fraction)) else { return nil }
        self.init(digits, scale)
    }

    /// The value as a `Double`, for reports and messages only (never for sampling).
    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    /// `p/q`, or `p` when q is 1.
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }
}
