import FairleadCore

extension Mitigation {
    typealias Options = MitigationReport.DecisionOptions

    /// One decision's cost today and its options.
    /// `scale` is the scores' (``ScoreScale``), resolved once for every decision.
    func options(for decision: AuditProfile.DecisionSpec, data: AuditData, dimensions: [Dimension],
                 scale: ScoreScale) throws -> Options {
        let rule = decision.rule
        let columns = data.columns(for: decision)
        // Today's selections: one pass per attribute, as the audit makes.
        var current = MitigationReport.OptionCost(selected: 0, conversions: 0, precision: nil, selectionRates: [:], rules: [])
        var statsOfDimensions: [GroupStats] = []
        for (position, dimension) in dimensions.enumerated() {
            let stats: GroupStats
            do {
                stats = try GroupStats.accumulate(columns, rule: rule, grouping: dimension.grouping,
                                                  scoreRange: profile.data.scoreRange, rows: nil)
            } catch let error as FairleadError {
                throw DecisionEvaluation.locate(error, dataPath: dataPath, profile: profile, decision: decision, records: data.sourceRecords)
            }
            let frame = MetricFrame(stats: stats, grouping: dimension.grouping)
            if position == 0 {
                current.selected = stats.overall.truePositives.weight + stats.overall.falsePositives.weight
                current.conversions = stats.overall.truePositives.weight
            }
            statsOfDimensions.append(stats)
            current.selectionRates[dimension.name] = Self.rates(frame)
            // Judged as the audit judges the decision: on its own rows and their counts.
            let selection = DecisionEvaluation.selectionShortfall(
                decision.kind, selected: stats.overall.truePositives.count + stats.overall.falsePositives.count,
                used: stats.overall.count, observed: ScoreScale.observedRange(data.scores))
            current.rules += OptionRules.check(profile.rules, decision: decision, attribute: dimension.name,
                                               frame: frame, reference: dimension.reference, settings: profile.settings,
                                               selection: (selection.0, selection.1))
        }
        // The rows used, counted as the audit counts them: a fraction on scores of 0–100
        // selecting nearly every lead is refused as the audit refuses it.
        if let overall = DecisionEvaluation.accountingStats(statsOfDimensions)?.overall {
            try scale.checkSelection(decision, selected: overall.truePositives.count + overall.falsePositives.count, used: overall.count,
                                dataPath: dataPath)
        }
        current.precision = current.selected > 0 ? current.conversions / current.selected : nil
        let capacity = current.selected
        var options = Options(kind: decision.kind.summary, capacity: capacity, status: "passes", current: current,
                              singleThreshold: nil, singleThresholdNote: nil, groupThresholds: [])
        let single = singleThreshold(decision: decision, capacity: capacity, dimensions: dimensions)
        options.singleThreshold = single.option
        options.singleThresholdNote = single.note
        // The decision's rules options cannot be checked against: one of them may fail.
        // (With no rule checked, these are all the decision's rules.)
        let unchecked = Set(profile.rules.filter { rule in
            !OptionRules.isCheckable(rule.metric) && dimensions.contains { rule.applies(toDecision: decision.name, attribute: $0.name) }
        }.map(\.expression)).sorted()
        options.uncheckedRules = unchecked.isEmpty ? nil : unchecked
        // No rule of the decision can be checked on options (inequality indices, queue
        // rules…): nothing was judged, so nothing passes (it said "passes today").
        if current.rules.isEmpty {
            options.status = "not_checked"
            // Every threshold "holds" no rule: none is an option.
            options.singleThreshold = nil
            options.singleThresholdNote = "no rule of the decision can be checked on options"
            return options
        }
        let failing = Set(current.rules.filter { !$0.holds && $0.undecided == nil }.map(\.attribute))
        guard !failing.isEmpty else {
            // No rule fails, but one cannot be judged: as the audit, insufficient evidence.
            if current.rules.contains(where: { $0.undecided != nil }) {
                options.status = "insufficient_evidence"
            } else if !unchecked.isEmpty {
                // Every rule checked holds, but not every rule was checked: it said "passes today".
                options.status = "not_checked"
            }
            return options
        }
        var notComputed: Set<String> = []
        for dimension in dimensions where failing.contains(dimension.name) {
            // A group of one label (an intersection's nine unconverted leads) leaves no
            // threshold to trade: this attribute has no group option, the others still do
            // (the whole command stopped, and an audit asking for options with it).
            if let degenerate = ThresholdOptimizer.degenerateLabels(dimension.ranking) {
                notComputed.insert(dimension.name)
                options.groupThresholdNotes = (options.groupThresholdNotes ?? []) + ["\(dimension.name): no group thresholds: \(degenerate)"]
                continue
            }
            let constraints = Set(profile.rules.filter { $0.applies(toDecision: decision.name, attribute: dimension.name) }
                .compactMap { OptionRules.constraint(for: $0.metric) })
            for constraint in ThresholdOptimizer.Constraint.allCases where constraints.contains(constraint) {
                guard let solution = try ThresholdOptimizer.optimize(dimension.ranking, constraint: constraint,
                                                                     objective: .conversions(capacity: capacity)) else { continue }
                options.groupThresholds.append(groupOption(solution, decision: decision, dimension: dimension))
                // Where the limits leave slack, rates that differ within them may keep more conversions.
                if constraint == .demographicParity,
                   let band = OptionRules.selectionRateBand(profile.rules, decision: decision.name, attribute: dimension.name),
                   let relaxed = try ThresholdOptimizer.optimizeSelectionRates(dimension.ranking, capacity: capacity, upperRate: band) {
                    var option = groupOption(relaxed, decision: decision, dimension: dimension)
                    option.constraint = Self.withinLimits
                    options.groupThresholds.append(option)
                }
            }
        }
        let uncovered = failing.filter { attribute in
            !options.groupThresholds.contains { $0.attribute == attribute && $0.cost.rules.allSatisfy(\.holds) }
        }
        let singleWithin = options.singleThreshold?.withinCapacity == true
        // Not computed is not infeasible: none_feasible only when a failing attribute whose
        // options were computed has none that holds.
        options.status = singleWithin || uncovered.isEmpty ? "options_found"
            : uncovered.isSubset(of: notComputed) ? "not_checked" : "none_feasible"
        return options
    }

    /// The constraint name of the group option whose selection rates differ within the
    /// profile's limits (``OptionRules/selectionRateBand(_:decision:attribute:)``).
    static let withinLimits = "demographic_parity_within_limits"

    /// Every group's selection rate in a frame.
    static func rates(_ frame: MetricFrame) -> [String: Double] {
        var rates: [String: Double] = [:]
        for (index, group) in frame.groups.enumerated() where frame.stats.cells[index].count > 0 {
            if let rate = frame.value(.selectionRate, group: index).number { rates[group.description] = rate }
        }
        return rates
    }

    /// The single threshold with the most conversions within capacity at which every
    /// checked rule holds on every attribute. Conversions grow as the threshold falls, so
    /// the search runs up from the lowest threshold within capacity and stops at the first
    /// that holds.
    func singleThreshold(decision: AuditProfile.DecisionSpec, capacity: Double, dimensions: [Dimension])
        -> (option: MitigationReport.SingleThresholdOption?, note: String?) {
        guard let first = dimensions.first else { return (nil, "the profile has no sensitive attribute") }
        let sweep = first.sweep
        func totals(_ index: Int) -> (selected: Double, conversions: Double) {
            var selected = 0.0, conversions = 0.0
            for group in sweep.groups.indices {
                let cells = sweep.cells(group: group, at: index)
                selected += cells.truePositives + cells.falsePositives
                conversions += cells.truePositives
            }
            return (selected, conversions)
        }
        let withinCapacity = sweep.thresholds.indices.filter {
            let selected = totals($0).selected
            return selected > 0 && selected <= capacity * (1 + 1e-12)
        }
        // The full cost (every rule's check, with its words) of the one threshold found; the
        // scan asks only whether the rules hold, stopping at the first that does not.
        for index in withinCapacity where allHold(at: index, decision: decision, dimensions: dimensions) {
            let cost = self.cost(at: index, decision: decision, dimensions: dimensions)
            if cost.rules.allSatisfy(\.holds) {
                return (MitigationReport.SingleThresholdOption(threshold: sweep.thresholds[index], withinCapacity: true, cost: cost), nil)
            }
        }
        // Over capacity: the holding threshold that selects the fewest leads (the highest).
        let inCapacity = Set(withinCapacity)
        for index in sweep.thresholds.indices.reversed() where !inCapacity.contains(index) && totals(index).selected > 0 {
            guard allHold(at: index, decision: decision, dimensions: dimensions) else { continue }
            let cost = self.cost(at: index, decision: decision, dimensions: dimensions)
            guard cost.rules.allSatisfy(\.holds) else { continue }
            return (MitigationReport.SingleThresholdOption(threshold: sweep.thresholds[index], withinCapacity: false, cost: cost),
                    "no threshold within capacity makes every checked rule hold; the lowest cost that does selects \(FindingJudge.format(cost.selected)) leads, over today's \(FindingJudge.format(capacity))")
        }
        return (nil, "no single score threshold makes every checked rule hold")
    }

    /// Whether every checked rule holds when selecting score ≥ the sweep's threshold
    /// `index`, on every attribute: ``cost(at:decision:dimensions:)``'s `rules` all hold,
    /// found without building them.
    func allHold(at index: Int, decision: AuditProfile.DecisionSpec, dimensions: [Dimension]) -> Bool {
        dimensions.allSatisfy { dimension in
            let sweep = dimension.sweep
            let cells = sweep.groups.indices.map { sweep.cells(group: $0, at: index) }
            let frame = OptionRules.frame(grouping: dimension.grouping, truePositives: cells.map(\.truePositives),
                                          falsePositives: cells.map(\.falsePositives), positives: cells.map(\.positives),
                                          negatives: cells.map(\.negatives), counts: sweep.groups.indices.map { sweep.rowCount(group: $0) })
            return OptionRules.allHold(profile.rules, decision: decision, attribute: dimension.name, frame: frame,
                                       reference: dimension.reference, settings: profile.settings,
                                       selection: OptionRules.selectionShortfall(of: frame, kind: .threshold(sweep.thresholds[index])))
        }
    }

    /// The cost of selecting score ≥ the sweep's threshold `index`, over every attribute.
    func cost(at index: Int, decision: AuditProfile.DecisionSpec, dimensions: [Dimension]) -> MitigationReport.OptionCost {
        var cost = MitigationReport.OptionCost(selected: 0, conversions: 0, precision: nil, selectionRates: [:], rules: [])
        for (position, dimension) in dimensions.enumerated() {
            let sweep = dimension.sweep
            let cells = sweep.groups.indices.map { sweep.cells(group: $0, at: index) }
            let frame = OptionRules.frame(grouping: dimension.grouping, truePositives: cells.map(\.truePositives),
                                          falsePositives: cells.map(\.falsePositives), positives: cells.map(\.positives),
                                          negatives: cells.map(\.negatives), counts: sweep.groups.indices.map { sweep.rowCount(group: $0) })
            if position == 0 {
                cost.selected = cells.reduce(0) { $0 + $1.truePositives + $1.falsePositives }
                cost.conversions = cells.reduce(0) { $0 + $1.truePositives }
            }
            cost.selectionRates[dimension.name] = Self.rates(frame)
            cost.rules += OptionRules.check(profile.rules, decision: decision, attribute: dimension.name,
                                            frame: frame, reference: dimension.reference, settings: profile.settings,
                                            selection: OptionRules.selectionShortfall(of: frame, kind: .threshold(sweep.thresholds[index])))
        }
        cost.precision = cost.selected > 0 ? cost.conversions / cost.selected : nil
        return cost
    }

    /// The report's form of a threshold optimizer's solution, with its cost on its attribute.
    func groupOption(_ solution: ThresholdOptimizer.Solution, decision: AuditProfile.DecisionSpec, dimension: Dimension)
        -> MitigationReport.GroupThresholdOption {
        let ranking = dimension.ranking
        var groups: [String: MitigationReport.GroupRule] = [:]
        var randomized = false
        for (index, rule) in solution.groups.enumerated() where ranking.counts[index] > 0 {
            let mixture = rule.mixture
            // The stricter rule (higher threshold; nil selects nothing) is the upper one.
            let parts = [(mixture.vertex0.threshold, mixture.p0), (mixture.vertex1.threshold, mixture.p1)]
                .filter { $0.1 > 0 && $0.0 != nil }
                .sorted { ($0.0 ?? .infinity) > ($1.0 ?? .infinity) }
            let upper = parts.first, lower = parts.count > 1 ? parts[1] : nil
            let sameThreshold = lower != nil && lower?.0 == upper?.0
            let upperProbability = parts.reduce(0) { $0 + $1.1 }
            let lowerProbability = sameThreshold ? 0 : (lower?.1 ?? 0)
            let weight = rule.positives + rule.negatives
            let selection = weight > 0 ? (rule.truePositives + rule.falsePositives) / weight : 0
            if (upperProbability > 0 && upperProbability < 1 - 1e-12) || (lowerProbability > 1e-12) || rule.ignoreProbability > 1e-12 {
                randomized = true
            }
            groups[ranking.groups[index].description] = MitigationReport.GroupRule(
                upperThreshold: upper?.0, upperProbability: upperProbability,
                lowerThreshold: sameThreshold ? nil : lower?.0, lowerProbability: lowerProbability,
                ignoreProbability: rule.ignoreProbability, constantRate: rule.constantPrediction,
                selectionRate: selection,
                truePositiveRate: rule.positives > 0 ? rule.truePositives / rule.positives : nil,
                falsePositiveRate: rule.negatives > 0 ? rule.falsePositives / rule.negatives : nil)
        }
        let frame = OptionRules.frame(grouping: dimension.grouping, truePositives: solution.groups.map(\.truePositives),
                                      falsePositives: solution.groups.map(\.falsePositives),
                                      positives: solution.groups.map(\.positives), negatives: solution.groups.map(\.negatives),
                                      counts: ranking.counts)
        let selected = solution.groups.reduce(0) { $0 + $1.truePositives + $1.falsePositives }
        let conversions = solution.groups.reduce(0) { $0 + $1.truePositives }
        let cost = MitigationReport.OptionCost(
            selected: selected, conversions: conversions, precision: selected > 0 ? conversions / selected : nil,
            selectionRates: [dimension.name: Self.rates(frame)],
            rules: OptionRules.check(profile.rules, decision: decision, attribute: dimension.name, frame: frame,
                                     reference: dimension.reference, settings: profile.settings,
                                     selection: OptionRules.selectionShortfall(of: frame, kind: nil)))
        return MitigationReport.GroupThresholdOption(
            attribute: dimension.name, constraint: solution.constraint.rawValue, commonRate: solution.x,
            commonTruePositiveRate: solution.commonTruePositiveRate, randomized: randomized, groups: groups, cost: cost)
    }
}
