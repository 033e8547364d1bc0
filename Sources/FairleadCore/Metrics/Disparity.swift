/// One disparity of a metric that the bootstrap gives an interval for.
public enum Disparity: Sendable, Hashable, CustomStringConvertible {
    /// ``MetricFrame/difference(_:method:)``.
    case difference(DisparityMethod)
    /// ``MetricFrame/ratio(_:method:)``.
    case ratio(DisparityMethod)
    /// A group's value minus the reference group's.
    case differenceToReference(GroupKey)
    /// A group's value divided by the reference group's.
    case ratioToReference(GroupKey)

    /// e.g. `difference(between_groups)`, `ratio_to_reference(female)`.
    public var description: String {
        switch self {
        case .difference(let method): "difference(\(method.rawValue))"
        case .ratio(let method): "ratio(\(method.rawValue))"
        case .differenceToReference(let group): "difference_to_reference(\(group))"
        case .ratioToReference(let group): "ratio_to_reference(\(group))"
        }
    }
}
