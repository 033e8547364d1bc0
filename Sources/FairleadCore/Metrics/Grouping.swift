/// The groups of one audit dimension: a single sensitive attribute, or the intersection
/// (cartesian product) of several.
///
/// Groups are every combination of the attributes' levels, listed even when no row falls
/// in them (they then have n = 0 and undefined rates), never invented beyond the levels.
/// The order is row-major over the attributes: the first attribute varies slowest, its
/// levels in their given order, and the `unknown` level (for missing values under
/// ``MissingSensitivePolicy/ownGroup``) last; `unknown` is listed only for an attribute
/// with at least one missing value.
///
///     gender {female, male} × age_band {18-24, 25+}
///     -> [female & 18-24, female & 25+, male & 18-24, male & 25+]
public struct Grouping: Sendable, Equatable {
    /// The names of the attributes, in order; one name for a single attribute.
    public let attributeNames: [String]
    /// Every group, in the order described above.
    public let groups: [GroupKey]
    /// Per attribute, what happens to rows with its value missing: a row missing an
    /// attribute that excludes is left out; one missing only attributes that keep missing
    /// values as `unknown` is in their `unknown` groups.
    public let missingPolicies: [MissingSensitivePolicy]

    /// ``MissingSensitivePolicy/exclude`` when any attribute excludes its missing values.
    public var missingPolicy: MissingSensitivePolicy { missingPolicies.contains(.exclude) ? .exclude : .ownGroup }

    /// Per attribute: its index in ``AuditColumns/attributes``.
    let attributeIndices: [Int]
    /// Per attribute: the number of slots (levels, plus one for `unknown` if it is listed).
    let radices: [Int]
    /// Per attribute: the slot that takes missing values, or -1 to exclude them.
    let missingSlots: [Int]
    /// Each group's position in ``groups``: a lookup, so that asking for every group's
    /// index costs O(groups), not O(groups²).
    private let positions: [GroupKey: Int]

    /// The most groups one grouping may have however ``Limits/maxGroups`` is raised: at
    /// some 18 KB of report per group, 1,048,576 groups are already some 18 GB.
    public static let maximumGroupCount = 1 << 20

    /// The grouping of `columns` by the named attributes.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for an unknown or repeated attribute
    ///   name or too many combinations, `.invalidData` for a code outside -1..<levels.
    public init(columns: AuditColumns, attributes names: [String],
                missingPolicy: MissingSensitivePolicy = .ownGroup, maxGroups: Int = Limits().maxGroups) throws {
        try self.init(columns: columns, attributes: names, missingPolicies: names.map { _ in missingPolicy }, maxGroups: maxGroups)
    }

    /// The grouping of `columns` by the named attributes, each with its own policy for a
    /// missing value (`missingPolicies`, one per name).
    public init(columns: AuditColumns, attributes names: [String],
                missingPolicies: [MissingSensitivePolicy], maxGroups: Int = Limits().maxGroups) throws {
        guard !names.isEmpty else {
            throw FairleadError(.invalidProfile, "a grouping needs at least one sensitive attribute")
        }
        guard Set(names).count == names.count else {
            throw FairleadError(.invalidProfile, "a grouping names an attribute twice: \(names.joined(separator: ", "))")
        }
        var indices: [Int] = []
        var levelLists: [[String]] = []
        var hasMissing: [Bool] = []
        for name in names {
            guard let index = columns.attributes.firstIndex(where: { $0.name == name }) else {
                let known = columns.attributes.map(\.name).joined(separator: ", ")
                throw FairleadError(.invalidProfile, "unknown sensitive attribute \"\(name)\"; the audit has: \(known)")
            }
            let attribute = columns.attributes[index]
            hasMissing.append(try Self.validateCodes(of: attribute))
            indices.append(index)
            levelLists.append(attribute.levels)
        }
        try self.init(names: names, indices: indices, levels: levelLists, hasMissing: hasMissing, missingPolicies: missingPolicies,
                      maxGroups: maxGroups)
    }

    /// The grouping of attributes known by their levels alone — as statistics merged
    /// from several data shards know them — with the groups, in the order, that
    /// ``init(columns:attributes:missingPolicy:)`` gives for rows with these levels
    /// (`hasMissing`: whether any row lacks a value). It describes statistics; it cannot
    /// accumulate rows.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for no or a repeated attribute name,
    ///   lists of different lengths, or too many combinations.
    public init(attributes names: [String], levels: [[String]], hasMissing: [Bool],
                missingPolicy: MissingSensitivePolicy = .ownGroup, maxGroups: Int = Limits().maxGroups) throws {
        try self.init(attributes: names, levels: levels, hasMissing: hasMissing, missingPolicies: names.map { _ in missingPolicy },
                      maxGroups: maxGroups)
    }

    /// The grouping of attributes known by their levels alone, each with its own policy
    /// for a missing value (`missingPolicies`, one per name).
    public init(attributes names: [String], levels: [[String]], hasMissing: [Bool],
                missingPolicies: [MissingSensitivePolicy], maxGroups: Int = Limits().maxGroups) throws {
        guard !names.isEmpty else {
            throw FairleadError(.invalidProfile, "a grouping needs at least one sensitive attribute")
        }
        guard Set(names).count == names.count else {
            throw FairleadError(.invalidProfile, "a grouping names an attribute twice: \(names.joined(separator: ", "))")
        }
        guard levels.count == names.count, hasMissing.count == names.count, missingPolicies.count == names.count else {
            throw FairleadError(.invalidProfile, "a grouping needs levels, has-missing flags and missing policies for each of its \(names.count) attributes")
        }
        try self.init(names: names, indices: Array(names.indices), levels: levels, hasMissing: hasMissing,
                      missingPolicies: missingPolicies, maxGroups: maxGroups)
    }

    private init(names: [String], indices: [Int], levels levelsByAttribute: [[String]], hasMissing: [Bool],
                 missingPolicies: [MissingSensitivePolicy], maxGroups: Int) throws {
        guard missingPolicies.count == names.count else {
            throw FairleadError(.invalidProfile, "a grouping needs a missing policy for each of its \(names.count) attributes")
        }
        var radices: [Int] = []
        var missingSlots: [Int] = []
        var levelLists: [[String]] = []
        for ((attributeLevels, missing), missingPolicy) in zip(zip(levelsByAttribute, hasMissing), missingPolicies) {
            var levels = attributeLevels
            let missingSlot = Self.missingSlot(levels: levels, hasMissing: missing, missingPolicy: missingPolicy)
            if missingSlot == levels.count { levels.append(MissingSensitivePolicy.unknownLabel) }
            radices.append(levels.count)
            missingSlots.append(missingSlot)
            levelLists.append(levels)
        }
        try Self.checkGroupCount(names: names, radices: radices, maxGroups: maxGroups)
        let total = radices.reduce(1, *)
        var groups: [GroupKey] = [GroupKey([])]
        for levels in levelLists {
            groups = groups.flatMap { prefix in levels.map { GroupKey(prefix.values + [$0]) } }
        }
        self.attributeNames = names
        self.groups = total == 0 ? [] : groups
        self.missingPolicies = missingPolicies
        self.attributeIndices = indices
        self.radices = radices
        self.missingSlots = missingSlots
        self.positions = Dictionary(self.groups.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The number of groups.
    public var groupCount: Int { groups.count }

    /// Refuses the grouping of `columns` by the named attributes as
    /// ``init(columns:attributes:missingPolicy:maxGroups:)`` would for too many groups,
    /// without making it: from the attributes' level counts, looking at the codes for a
    /// missing value only when that decides. Names it does not know are left to the
    /// grouping itself.
    public static func checkGroupCount(columns: AuditColumns, attributes names: [String],
                                       missingPolicy: MissingSensitivePolicy, maxGroups: Int) throws {
        try checkGroupCount(columns: columns, attributes: names, missingPolicies: names.map { _ in missingPolicy }, maxGroups: maxGroups)
    }

    /// ``checkGroupCount(columns:attributes:missingPolicy:maxGroups:)`` with a policy per attribute.
    public static func checkGroupCount(columns: AuditColumns, attributes names: [String],
                                       missingPolicies: [MissingSensitivePolicy], maxGroups: Int) throws {
        let attributes = names.compactMap { name in columns.attributes.first { $0.name == name } }
        guard attributes.count == names.count, missingPolicies.count == names.count else { return }
        let limit = min(maxGroups, maximumGroupCount)
        var bound = 1
        var overflow = false
        for (attribute, missingPolicy) in zip(attributes, missingPolicies) where !overflow {
            (bound, overflow) = bound.multipliedReportingOverflow(
                by: radix(levels: attribute.levels, hasMissing: true, missingPolicy: missingPolicy))
        }
        guard overflow || bound > limit else { return }
        let radices = zip(attributes, missingPolicies).map {
            radix(levels: $0.levels, hasMissing: $0.codes.contains(-1), missingPolicy: $1)
        }
        try checkGroupCount(names: names, radices: radices, maxGroups: maxGroups)
    }

    /// The slot of an attribute's missing values: its `unknown` level if it lists one, a
    /// slot after its levels (`levels.count`) if it has missing values that form a group,
    /// else -1 (missing values excluded, or none).
    private static func missingSlot(levels: [String], hasMissing: Bool, missingPolicy: MissingSensitivePolicy) -> Int {
        guard hasMissing && missingPolicy == .ownGroup else { return -1 }
        return levels.firstIndex(of: MissingSensitivePolicy.unknownLabel) ?? levels.count
    }

    /// The number of groups an attribute contributes: its levels, plus the slot after them
    /// when ``missingSlot(levels:hasMissing:missingPolicy:)`` puts missing values there.
    private static func radix(levels: [String], hasMissing: Bool, missingPolicy: MissingSensitivePolicy) -> Int {
        levels.count + (missingSlot(levels: levels, hasMissing: hasMissing, missingPolicy: missingPolicy) == levels.count ? 1 : 0)
    }

    /// Refuses the grouping ``init(attributes:levels:hasMissing:missingPolicy:maxGroups:)``
    /// would refuse for too many groups, without making it: in time linear in the levels,
    /// so that statistics listing a million levels are refused before anything looks at
    /// them level by level.
    public static func checkGroupCount(attributes names: [String], levels: [[String]], hasMissing: [Bool],
                                       missingPolicy: MissingSensitivePolicy, maxGroups: Int) throws {
        try checkGroupCount(attributes: names, levels: levels, hasMissing: hasMissing, missingPolicies: names.map { _ in missingPolicy },
                            maxGroups: maxGroups)
    }

    /// ``checkGroupCount(attributes:levels:hasMissing:missingPolicy:maxGroups:)`` with a policy per attribute.
    public static func checkGroupCount(attributes names: [String], levels: [[String]], hasMissing: [Bool],
                                       missingPolicies: [MissingSensitivePolicy], maxGroups: Int) throws {
        let radices = zip(zip(levels, hasMissing), missingPolicies).map { pair, missingPolicy in
            radix(levels: pair.0, hasMissing: pair.1, missingPolicy: missingPolicy)
        }
        try checkGroupCount(names: names, radices: radices, maxGroups: maxGroups)
    }

    /// Refuses a grouping of more groups than `maxGroups` (``Limits/maxGroups``) or, however
    /// the limit is raised, than ``maximumGroupCount``, before any group is made: each group
    /// costs a row of every table of the report and, for an intersection, every combination
    /// of levels is a group.
    private static func checkGroupCount(names: [String], radices: [Int], maxGroups: Int) throws {
        var total = 1
        var overflow = false
        for radix in radices where !overflow {
            (total, overflow) = total.multipliedReportingOverflow(by: radix)
        }
        let limit = min(maxGroups, maximumGroupCount)
        guard overflow || total > limit else { return }
        let count = overflow ? "more than \(Int.max)" : "\(total)"
        let what = names.count == 1
            ? "\(MessageQuote.clipped(names[0])) has \(count) groups"
            : "the intersection of \(names.map { MessageQuote.clipped($0) }.joined(separator: " & ")) has \(count) groups (\(radices.map(String.init).joined(separator: " × ")) levels)"
        guard maxGroups < maximumGroupCount else {
            throw FairleadError(.invalidData, "\(what), more than any grouping may have (\(maximumGroupCount))")
        }
        throw FairleadError(.invalidData, "\(what), more than the max_groups limit of \(maxGroups): an attribute with this many values is more likely an identifier than a group",
                            limit: .maxGroups)
    }

    /// The position of a group in ``groups``, if the grouping has it.
    public func index(of key: GroupKey) -> Int? {
        positions[key]
    }

    /// Checks every code is -1 or a level; returns whether any is -1. The range check is a
    /// branch-free min/max scan; rows are looked at one by one only to report a bad one.
    private static func validateCodes(of attribute: SensitiveAttribute) throws -> Bool {
        let levelCount = Int32(clamping: attribute.levels.count)
        func range<Code: AttributeCodeUnit>(_ codes: UnsafeBufferPointer<Code>) -> (Int32, Int32) {
            var low = Int32.max
            var high = Int32.min
            for code in codes {
                low = min(low, code.attributeCode)
                high = max(high, code.attributeCode)
            }
            return (low, high)
        }
        let (low, high) = attribute.codes.withCodeBuffer(narrow: range, wide: range)
        if low < -1 || high >= levelCount,
           let row = attribute.codes.firstIndex(where: { $0 < -1 || $0 >= levelCount }) {
            throw FairleadError(.invalidData, "sensitive attribute \"\(attribute.name)\" has code \(attribute.codes[row]), expected -1 (missing) or 0..<\(levelCount)",
                                row: row)
        }
        return low == -1
    }
}
