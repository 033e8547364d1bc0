import FairleadCore

/// How a published view of a report protects the people in the data (the profile's
/// `privacy:` section; docs/privacy.md):
///
///     privacy:
///       min_cell: 10      # suppress counts (and what is computed from them) below 10
///       epsilon: 0.5      # or: release noisy counts, 0.5-differentially private
///       budget: 2         # the total ε the data set may spend over all releases
///
/// Without `epsilon`, `fairlead audit --publish` suppresses small cells (``minimumCell``)
/// with complementary suppression; with it, every count is released through the discrete
/// Laplace mechanism and charged to the history's privacy ledger.
public struct PrivacyPolicy: Sendable, Equatable {
    /// The smallest count a published view shows when `min_cell` is not given.
    public static let defaultMinimumCell = 10

    /// Counts from 1 to `minimumCell − 1` are suppressed (0 describes nobody and is shown).
    public var minimumCell: Int
    /// ε of one differentially private release; `nil` publishes by suppression.
    public var epsilon: PrivacyBudgetAmount?
    /// The total ε every release of one data set (by its SHA-256) may spend together.
    public var budget: PrivacyBudgetAmount?
    /// `quasi_identifiers`: the columns whose re-identification risk the audit reports
    /// (the report's `reidentification` section); `nil` reports none.
    public var quasiIdentifiers: [String]?
    /// `reidentification_k`: classes smaller than it put their records at risk.
    public var reidentificationK: Int = ReidentificationReport.defaultK
    /// Whether lead ids are replaced by keyed pseudonyms (``LeadPseudonymizer``) wherever
    /// they are printed or stored (`privacy.pseudonymize_ids`).
    public var pseudonymizeIDs = false
    /// Where the pseudonyms' key comes from (`privacy.pseudonym_key`); required with
    /// ``pseudonymizeIDs``.
    public var pseudonymKey: PseudonymKeySource?
    /// Where a differentially private release takes its group names from
    /// (`privacy.group_names`): the profile's declared groups only (the default), or the
    /// data's for attributes that declare none.
    public var groupNames: GroupNameSource = .declared

    public init(minimumCell: Int = PrivacyPolicy.defaultMinimumCell, epsilon: PrivacyBudgetAmount? = nil,
                budget: PrivacyBudgetAmount? = nil) {
        self.minimumCell = minimumCell
        self.epsilon = epsilon
        self.budget = budget
    }

    /// The pseudonymizer of lead ids, with its key loaded; `nil` unless ``pseudonymizeIDs``.
    ///
    /// - Throws: the key's errors (``PseudonymKeySource/load(reading:environment:)``).
    public func pseudonymizer(reading: ProfileReading = ProfileReading()) throws -> LeadPseudonymizer? {
        guard pseudonymizeIDs, let pseudonymKey else { return nil }
        return try pseudonymKey.load(reading: reading)
    }

    /// Whether the published view is a differentially private release.
    public var isDifferentiallyPrivate: Bool { epsilon != nil }
}

/// Where a differentially private release takes the names of its groups from
/// (`privacy.group_names`; docs/privacy.md, "Which groups a release names").
public enum GroupNameSource: String, Sendable, Equatable, CaseIterable {
    /// Every attribute declares its groups (``DeclaredGroups``); a release of one that
    /// does not is refused. The names published do not depend on the data.
    case declared
    /// An attribute that declares no groups is released with the groups the data holds.
    /// ε does not cover those names: a value one lead holds shows that the lead is in the
    /// data. The release records which attributes they are.
    case fromData = "from_data"
}

/// An amount of ε, held exactly as billionths so that the ledger sums releases without
/// rounding: `0.1` ten times spends exactly `1`.
public struct PrivacyBudgetAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// ε × 10⁹.
    public let nanos: UInt64

    /// The amount of `nanos` billionths of ε.
    public init(nanos: UInt64) { self.nanos = nanos }

    /// A positive decimal numeral with at most nine decimals (`0.5`, `2`, `0.125`);
    /// `nil` for any other text, zero, or more than 1,000,000.
    public init?(decimal text: String) {
        guard let fraction = ExactFraction(decimal: text), fraction.numerator > 0 else { return nil }
        // fraction = p/q with q dividing 10⁹ (at most nine decimals).
        let scaled = fraction.numerator.multipliedReportingOverflow(by: 1_000_000_000 / fraction.denominator)
        guard !scaled.overflow, scaled.partialValue <= 1_000_000 * 1_000_000_000 else { return nil }
        self.nanos = scaled.partialValue
    }

    /// ε as an exact fraction, for the samplers.
    public var fraction: ExactFraction? { ExactFraction(nanos, 1_000_000_000) }

    /// ε as a number, for reports.
    public var value: Double { Double(nanos) / 1e9 }

    /// The shortest decimal: `0.5`, `2`, `0.125`.
    public var description: String {
        let whole = nanos / 1_000_000_000
        var fractional = String(nanos % 1_000_000_000)
        guard fractional != "0" else { return "\(whole)" }
        fractional = String(repeating: "0", count: 9 - fractional.count) + fractional
        while fractional.hasSuffix("0") { fractional.removeLast() }
        return "\(whole).\(fractional)"
    }

    public static func < (lhs: PrivacyBudgetAmount, rhs: PrivacyBudgetAmount) -> Bool { lhs.nanos < rhs.nanos }
}
