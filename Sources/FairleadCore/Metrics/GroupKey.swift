/// The name of one group: one value per attribute of its grouping, e.g. `["female", "25-34"]`
/// for the intersection of gender and age band.
public struct GroupKey: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One level per attribute of the grouping, in the grouping's attribute order.
    public var values: [String]

    /// A key from its values.
    public init(_ values: [String]) { self.values = values }

    /// A key written as an array literal: `["female", "25-34"]`.
    public init(arrayLiteral elements: String...) { self.values = elements }

    /// The values joined by ` & `, e.g. `female & 25-34`.
    public var description: String { values.joined(separator: " & ") }
}
