/// One sensitive attribute of the audited rows, as integer codes into its levels.
///
/// `codes[i]` is the level of row `i`, or `-1` when the value is missing (empty, `NA`).
/// This is the shape a table reader hands over: strings are decoded once, so that the
/// per-row work of an audit is integer arithmetic.
///
///     let gender = SensitiveAttribute(name: "gender", values: ["female", "", "male", "female"])
///     // levels ["female", "male"], codes [0, -1, 1, 0]
public struct SensitiveAttribute: Sendable, Equatable {
    /// The attribute's name, e.g. the CSV column `gender`.
    public var name: String
    /// Per row: an index into `levels`, or -1 for a missing value; a byte per row when
    /// every code fits one (``AttributeCodes``).
    public var codes: AttributeCodes
    /// The attribute's values; a group is listed for each, even one no row has.
    public var levels: [String]

    /// An attribute from already coded values.
    public init(name: String, codes: [Int32], levels: [String]) {
        self.init(name: name, codes: AttributeCodes(codes), levels: levels)
    }

    /// An attribute from codes already held as ``AttributeCodes``.
    public init(name: String, codes: AttributeCodes, levels: [String]) {
        self.name = name
        self.codes = codes
        self.levels = levels
    }

    /// An attribute from string values, levels sorted by code point (the order pandas
    /// and Fairlearn list groups in); values in `missingValues` become code -1.
    public init(name: String, values: [String], missingValues: Set<String> = ["", "NA"]) {
        let levels = Set(values).subtracting(missingValues).sorted()
        var index: [String: Int32] = [:]
        for (position, level) in levels.enumerated() { index[level] = Int32(position) }
        self.name = name
        self.levels = levels
        self.codes = AttributeCodes(values.map { index[$0] ?? -1 })
    }
}
