/// A batch of leads read for explaining: ids, the model's feature matrix, and the values
/// of every source column as a rep reads them (the category of a one-hot group, not its
/// indicators).
public struct LeadBatch: Sendable {
    /// One id per lead: the id column's value, or the 1-based row number in the file.
    public let ids: [String]
    /// n × the model's features, columns in the model's order.
    public let features: Matrix
    /// Per source (``FeatureSources/sources``): for a categorical source, per lead, the
    /// index of its value in `levels[source]`, −1 when missing; empty for a numeric source.
    public let categories: [[Int32]]
    /// Per source: the levels `categories` index into (empty for a numeric source).
    public let levels: [[String]]
    /// Extra categorical columns read beside the features (e.g. sensitive attributes for
    /// proxy detection), in the order asked for; codes −1 when missing.
    public let attributes: [SensitiveAttribute]
    /// Per lead: the physical line of the file it starts on.
    public let lines: [Int]
    /// Per lead: whether it was sent without an id (a ``LeadRecord`` whose `id` is nil).
    /// Its `ids` entry is then its 0-based position among the records, which the JSON
    /// writes as `"index"`, never as an `"id"` a real lead could hold too. Empty when
    /// every lead has its id.
    public let sentWithoutID: [Bool]
    /// Per lead: the score the file holds for it (the profile's `data.score` column; NaN
    /// when missing), to compare with the model's (``ScoreAgreement``). Empty when no such
    /// column was read.
    public let recordedScores: [Double]

    /// A batch from its parts; every per-lead array has one entry per row of `features`.
    public init(ids: [String], features: Matrix, categories: [[Int32]], levels: [[String]],
                attributes: [SensitiveAttribute] = [], lines: [Int] = [], sentWithoutID: [Bool] = [],
                recordedScores: [Double] = []) {
        precondition(ids.count == features.rows, "one id per row")
        precondition(sentWithoutID.isEmpty || sentWithoutID.count == ids.count, "one flag per row, or none")
        precondition(recordedScores.isEmpty || recordedScores.count == ids.count, "one score per row, or none")
        self.ids = ids
        self.features = features
        self.categories = categories
        self.levels = levels
        self.attributes = attributes
        self.lines = lines
        self.sentWithoutID = sentWithoutID
        self.recordedScores = recordedScores
    }

    /// Whether lead `row` was sent without an id (``sentWithoutID``).
    public func isSentWithoutID(_ row: Int) -> Bool {
        !sentWithoutID.isEmpty && sentWithoutID[row]
    }

    /// The number of leads.
    public var count: Int { ids.count }
}

extension LeadBatch {
    /// The leads at `rows`, in that order.
    public func subset(_ rows: [Int]) -> LeadBatch {
        let width = features.columns
        var values = [Double]()
        values.reserveCapacity(rows.count * width)
        for row in rows { values += features.row(row) }
        return LeadBatch(ids: rows.map { ids[$0] }, features: Matrix(rows: rows.count, columns: width, values: values),
                         categories: categories.map { codes in codes.isEmpty ? [] : rows.map { codes[$0] } },
                         levels: levels,
                         attributes: attributes.map { attribute in
                             SensitiveAttribute(name: attribute.name, codes: rows.map { attribute.codes[$0] }, levels: attribute.levels)
                         },
                         lines: lines.isEmpty ? [] : rows.map { lines[$0] },
                         sentWithoutID: sentWithoutID.isEmpty ? [] : rows.map { sentWithoutID[$0] },
                         recordedScores: recordedScores.isEmpty ? [] : rows.map { recordedScores[$0] })
    }
}
