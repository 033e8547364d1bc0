import Foundation

/// How exposed the rows of a table are to re-identification through their
/// quasi-identifiers, and to attribute disclosure of their sensitive attributes: computed
/// once from ``EquivalenceClasses`` (sizes and counts only — no value is kept).
///
/// With n rows in classes of sizes f₁ … f_c and a chosen k (``riskThreshold``):
///
/// - **k-anonymity** `k = min fⱼ`; **unique records** the rows with fⱼ = 1;
///   **records below k** the rows with fⱼ < k.
/// - **Prosecutor risk** (the attacker knows the target is in the data; ARX, after El Emam,
///   "Guide to the De-Identification of Personal Health Information"): a record's risk is
///   1/fⱼ; highest `1/min fⱼ`; average (ARX's "success rate") `c/n`; records at risk the
///   share of rows whose risk exceeds the threshold 1/k, that is fⱼ < k.
/// - **Journalist risk** (the target may not be in the data): ARX measures it against the
///   population's classes Fⱼ; without a population table ARX takes the sample as the
///   population (Fⱼ = fⱼ), and so does Fairlead — the values then equal the prosecutor's.
///   Highest `1/min Fⱼ`, average `max(c/ΣFⱼ, Σ(fⱼ/Fⱼ)/n)`, at risk rows with 1/Fⱼ > 1/k.
/// - **Marketer risk** (the attacker re-identifies as many as possible): `Σ(fⱼ/Fⱼ)/n`,
///   `c/n` when the sample is the population.
///
/// Per sensitive attribute (``SensitiveDiversity``), following pycanon 1.3.6:
/// distinct l-diversity, entropy l-diversity and t-closeness.
public struct ReidentificationRisk: Sendable, Equatable {
    /// ARX's risk summary of one attacker model.
    public struct RiskSummary: Sendable, Equatable {
        /// The highest probability of re-identifying a record: 1 / the smallest class.
        public var highest: Double
        /// The share of records re-identified on average (ARX's "success rate").
        public var average: Double
        /// The share of records whose risk exceeds 1/k (their class is smaller than k).
        public var recordsAtRisk: Double
    }

    /// The rows grouped.
    public var rows: Int
    /// The number of equivalence classes.
    public var classCount: Int
    /// k of k-anonymity: the size of the smallest class.
    public var kAnonymity: Int
    /// Rows alone in their class.
    public var uniqueRecords: Int
    /// ``uniqueRecords`` ÷ ``rows``.
    public var uniqueShare: Double
    /// The chosen k: a class smaller than it puts its rows at risk (risk threshold 1/k).
    public var riskThreshold: Int
    /// Rows in classes smaller than ``riskThreshold``.
    public var recordsBelowThreshold: Int
    /// Classes smaller than ``riskThreshold``.
    public var classesBelowThreshold: Int
    /// How many classes have each size, smallest first: `(size, classes)`.
    public var classSizes: [(size: Int, classes: Int)]
    /// Prosecutor risk (ARX).
    public var prosecutor: RiskSummary
    /// Journalist risk (ARX), the sample taken as the population.
    public var journalist: RiskSummary
    /// Marketer risk (ARX): the share of records re-identified on average.
    public var marketer: Double
    /// l-diversity and t-closeness of each sensitive attribute, in the order given.
    public var sensitive: [SensitiveDiversity]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rows == rhs.rows && lhs.classCount == rhs.classCount && lhs.kAnonymity == rhs.kAnonymity
            && lhs.uniqueRecords == rhs.uniqueRecords && lhs.riskThreshold == rhs.riskThreshold
            && lhs.recordsBelowThreshold == rhs.recordsBelowThreshold && lhs.classesBelowThreshold == rhs.classesBelowThreshold
            && lhs.classSizes.elementsEqual(rhs.classSizes, by: { $0 == $1 })
            && lhs.prosecutor == rhs.prosecutor && lhs.journalist == rhs.journalist && lhs.marketer == rhs.marketer
            && lhs.sensitive == rhs.sensitive
    }

    /// The measures of `classes` (at least one row) with the risk threshold `k` (≥ 1) and
    /// the sensitive attributes `sensitive`, each a name and its codes.
    public init(classes: EquivalenceClasses, riskThreshold k: Int, sensitive: [(name: String, values: SensitiveValueCodes)] = []) {
        precondition(classes.rowCount > 0, "re-identification risk needs at least one row")
        precondition(k >= 1, "the risk threshold k must be at least 1")
        let n = classes.rowCount
        let c = classes.classCount
        rows = n
        classCount = c
        riskThreshold = k
        var histogram: [Int: Int] = [:]
        var unique = 0, below = 0, classesBelow = 0, smallest = Int.max
        for size in classes.sizes {
            histogram[size, default: 0] += 1
            if size == 1 { unique += 1 }
            if size < k {
                below += size
                classesBelow += 1
            }
            smallest = min(smallest, size)
        }
        kAnonymity = smallest
        uniqueRecords = unique
        uniqueShare = Double(unique) / Double(n)
        recordsBelowThreshold = below
        classesBelowThreshold = classesBelow
        classSizes = histogram.sorted { $0.key < $1.key }.map { (size: $0.key, classes: $0.value) }
        let average = Double(c) / Double(n)
        prosecutor = RiskSummary(highest: 1 / Double(smallest), average: average, recordsAtRisk: Double(below) / Double(n))
        // The sample is the population: Fⱼ = fⱼ, so ΣFⱼ = n and Σ(fⱼ/Fⱼ) = c.
        journalist = prosecutor
        marketer = average
        self.sensitive = sensitive.map { SensitiveDiversity(name: $0.name, values: $0.values, classes: classes) }
    }
}

/// l-diversity and t-closeness of one sensitive attribute over equivalence classes, as
/// pycanon 1.3.6 defines them (`l_diversity`, `entropy_l_diversity`, `t_closeness` with
/// one sensitive attribute), values compared as ``SensitiveValueCodes`` codes them.
public struct SensitiveDiversity: Sendable, Equatable {
    /// The column's name.
    public var name: String
    /// Whether t-closeness used the ordered distance (a numeric column).
    public var isNumerical: Bool
    /// Distinct values in the whole table (missing counted as one), m.
    public var distinctValues: Int
    /// Distinct l-diversity: the fewest distinct values in any class.
    public var distinctL: Int
    /// Entropy l-diversity: `exp(min over classes of H)`, H = −Σ p ln p over the class's
    /// value shares. pycanon reports its integer part; this is the value itself.
    public var entropyL: Double
    /// t-closeness: the largest Earth Mover's Distance between a class's distribution of
    /// values (q) and the table's (p). Categorical: the equal distance ½ Σᵢ |qᵢ − pᵢ|.
    /// Numerical (values in order, m of them): `1/(m−1) · Σᵢ |Σ_{j≤i} (qⱼ − pⱼ)|`;
    /// 0 when the table holds one value (pycanon divides by zero there).
    public var tCloseness: Double

    init(name: String, values: SensitiveValueCodes, classes: EquivalenceClasses) {
        self.name = name
        isNumerical = values.isNumerical
        let m = values.valueCount
        distinctValues = m
        let n = classes.rowCount
        var totals = [Int](repeating: 0, count: m)
        for code in values.codes { totals[Int(code)] += 1 }
        let (starts, classValues, counts) = classes.valueCounts(codes: values.codes, valueCount: m)
        // Ordered distance, in counts: with Cᵢ the table's cumulative count and Qᵢ the
        // class's, the class's sum is Σᵢ |Qᵢ·n − Cᵢ·s| ÷ (s·n). Between two of the class's
        // values Qᵢ is constant and Cᵢ rises, so each stretch is summed from prefix sums
        // of Cᵢ, split where Cᵢ·s passes Q·n (a binary search): linear in the class's values.
        var cumulative = [Int](repeating: 0, count: m)
        var prefixOfCumulative = [Double](repeating: 0, count: m + 1)
        var running = 0
        for index in 0..<m {
            running += totals[index]
            cumulative[index] = running
            prefixOfCumulative[index + 1] = prefixOfCumulative[index] + Double(running)
        }
        func stretchSum(from first: Int, to last: Int, classCumulative q: Int, size s: Int) -> Double {
            guard first <= last else { return 0 }
            let target = Double(q) * Double(n)
            // The first index in first...last with cumulative·s > q·n.
            var low = first, high = last + 1
            while low < high {
                let middle = (low + high) / 2
                if Double(cumulative[middle]) * Double(s) > target { high = middle } else { low = middle + 1 }
            }
            let split = low
            let belowCount = Double(split - first), aboveCount = Double(last + 1 - split)
            let belowSum = prefixOfCumulative[split] - prefixOfCumulative[first]
            let aboveSum = prefixOfCumulative[last + 1] - prefixOfCumulative[split]
            return (target * belowCount - Double(s) * belowSum) + (Double(s) * aboveSum - target * aboveCount)
        }
        var fewest = Int.max, lowestEntropy = Double.infinity, largestDistance = 0.0
        for group in 0..<classes.classCount {
            let s = classes.sizes[group]
            let range = starts[group]..<starts[group + 1]
            fewest = min(fewest, range.count)
            var entropy = 0.0
            for index in range {
                let share = Double(counts[index]) / Double(s)
                entropy -= share * log(share)
            }
            lowestEntropy = min(lowestEntropy, entropy)
            var distance = 0.0
            if values.isNumerical {
                guard m > 1 else { continue }
                var total = 0.0, q = 0, next = 0
                for index in range {
                    let value = Int(classValues[index])
                    total += stretchSum(from: next, to: value - 1, classCumulative: q, size: s)
                    q += counts[index]
                    total += abs(Double(q) * Double(n) - Double(cumulative[value]) * Double(s))
                    next = value + 1
                }
                total += stretchSum(from: next, to: m - 1, classCumulative: q, size: s)
                distance = total / (Double(s) * Double(n)) / Double(m - 1)
            } else {
                // ½ Σ |qᵢ − pᵢ|: the values absent from the class add their whole pᵢ.
                var total = 0.0, absentRows = n
                for index in range {
                    let rowsOfValue = totals[Int(classValues[index])]
                    total += abs(Double(counts[index]) / Double(s) - Double(rowsOfValue) / Double(n))
                    absentRows -= rowsOfValue
                }
                distance = 0.5 * (total + Double(absentRows) / Double(n))
            }
            largestDistance = max(largestDistance, distance)
        }
        distinctL = fewest
        entropyL = exp(lowestEntropy)
        tCloseness = largestDistance
    }
}
