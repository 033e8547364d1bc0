import FairleadCore

extension AuditProfile {
    /// The `privacy:` section (``PrivacyPolicy``): `min_cell` a whole number ≥ 2,
    /// `epsilon` and `budget` positive decimals with at most nine decimals; `epsilon`
    /// needs `budget`, and may not exceed it; `group_names` `declared` or `from_data`.
    static func decodePrivacy(_ node: ProfileNode?) throws -> PrivacyPolicy? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "privacy")
        var policy = PrivacyPolicy()
        if let minimum = try mapping.integer("min_cell", atLeast: 2) { policy.minimumCell = minimum }
        func amount(_ key: String) throws -> (PrivacyBudgetAmount, SourceLocation)? {
            guard let valueNode = mapping.node(key) else { return nil }
            let path = "privacy.\(key)"
            let text = try ProfileMapping.scalar(valueNode, path: path, expected: "a positive decimal number such as 0.5")
            guard let amount = PrivacyBudgetAmount(decimal: text) else {
                throw ProfileMapping.error("expected a positive decimal number such as 0.5 (at most nine decimals, at most 1000000), found '\(MessageQuote.clipped(text, limit: 80))'",
                                           path: path, at: valueNode.location)
            }
            return (amount, valueNode.location)
        }
        let epsilon = try amount("epsilon")
        let budget = try amount("budget")
        let quasiNode = mapping.node("quasi_identifiers")
        policy.quasiIdentifiers = try decodeQuasiIdentifiers(&mapping, node: quasiNode)
        if let k = try mapping.integer("reidentification_k", atLeast: 1) { policy.reidentificationK = k }
        try decodePseudonyms(&mapping, into: &policy)
        if let node = mapping.node("group_names") {
            let expected = "'declared' (a release names the sensitive columns' declared values) or 'from_data' (and the data's groups of columns that declare none, which ε does not cover)"
            let text = try ProfileMapping.scalar(node, path: "privacy.group_names", expected: expected)
            guard let source = GroupNameSource(rawValue: text) else {
                throw ProfileMapping.error("expected \(expected), found '\(MessageQuote.clipped(text, limit: 40))'",
                                           path: "privacy.group_names", at: node.location)
            }
            policy.groupNames = source
        }
        try mapping.finish(allowed: ["min_cell", "epsilon", "budget", "group_names", "quasi_identifiers", "reidentification_k"] + pseudonymKeys)
        if let (epsilonAmount, location) = epsilon {
            guard let (budgetAmount, _) = budget else {
                throw ProfileMapping.error("privacy.epsilon needs privacy.budget: the total ε all releases of one data set may spend",
                                           path: "privacy.epsilon", at: location)
            }
            guard epsilonAmount <= budgetAmount else {
                throw ProfileMapping.error("privacy.epsilon (\(epsilonAmount)) exceeds privacy.budget (\(budgetAmount)): no release could be made",
                                           path: "privacy.epsilon", at: location)
            }
        }
        policy.epsilon = epsilon?.0
        policy.budget = budget?.0
        return policy
    }

    /// `privacy.quasi_identifiers`: a non-empty list of column names, none twice.
    private static func decodeQuasiIdentifiers(_ mapping: inout ProfileMapping, node: ProfileNode?) throws -> [String]? {
        guard let names = try mapping.stringList("quasi_identifiers"), let node else { return nil }
        let path = "privacy.quasi_identifiers"
        guard !names.isEmpty else {
            throw ProfileMapping.error("expected at least one column name, such as [age, zip3, gender]", path: path, at: node.location)
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw ProfileMapping.error("column '\(MessageQuote.clipped(name, limit: 80))' is named twice", path: path, at: node.location)
        }
        return names
    }
}

extension AuditProfile {
    /// The `privacy:` keys of pseudonymized ids.
    static let pseudonymKeys = ["pseudonymize_ids", "pseudonym_key"]

    /// `pseudonymize_ids: true|false` and `pseudonym_key: {file: PATH}` or `{env: NAME}`
    /// (exactly one); the key is required with `pseudonymize_ids: true`. A relative file
    /// path is the profile's folder's. The key itself is read only when ids are printed.
    static func decodePseudonyms(_ mapping: inout ProfileMapping, into policy: inout PrivacyPolicy) throws {
        if let node = mapping.node("pseudonymize_ids") {
            let text = try ProfileMapping.scalar(node, path: "privacy.pseudonymize_ids", expected: "true or false")
            switch text {
            case "true": policy.pseudonymizeIDs = true
            case "false": policy.pseudonymizeIDs = false
            default:
                throw ProfileMapping.error("expected true or false, found '\(MessageQuote.clipped(text, limit: 40))'",
                                           path: "privacy.pseudonymize_ids", at: node.location)
            }
        }
        if let node = mapping.node("pseudonym_key") {
            var key = try ProfileMapping(node, path: "privacy.pseudonym_key")
            let file = try key.filePath("file", expected: "the path of the key file")
            let env = try key.string("env")
            try key.finish(allowed: ["file", "env"])
            switch (file, env) {
            case let (file?, nil):
                guard !file.isEmpty else {
                    throw ProfileMapping.error("expected the path of the key file", path: "privacy.pseudonym_key.file", at: node.location)
                }
                policy.pseudonymKey = .file(path: resolve(file, relativeTo: node.location.file), location: node.location)
            case let (nil, env?):
                guard !env.isEmpty else {
                    throw ProfileMapping.error("expected the name of an environment variable", path: "privacy.pseudonym_key.env", at: node.location)
                }
                policy.pseudonymKey = .environment(name: env, location: node.location)
            default:
                throw ProfileMapping.error("expected exactly one of file: PATH or env: NAME", path: "privacy.pseudonym_key", at: node.location)
            }
        }
        if policy.pseudonymizeIDs, policy.pseudonymKey == nil {
            throw ProfileMapping.error("privacy.pseudonymize_ids needs privacy.pseudonym_key: {file: PATH} or {env: NAME}",
                                       path: "privacy.pseudonymize_ids", at: mapping.location)
        }
    }
}
