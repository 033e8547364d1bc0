import Foundation

extension LinearModel {
    /// The linear JSON schema, version 1 (docs/models.md):
    ///
    ///     {"format": "fairlead-linear", "version": 1, "link": "logit",
    ///      "intercept": -2.1,
    ///      "features": [{"name": "web_visits", "coefficient": 0.12}, …]}
    struct FileSchema: Decodable {
        struct Feature: Decodable {
            var name: String
            var coefficient: Double
        }
        var format: String
        var version: Int
        var link: String
        var intercept: Double
        var features: [Feature]
    }

    /// Loads a model written in Fairlead's linear JSON schema (docs/models.md).
    ///
    /// - Throws: `FairleadError(.invalidModel)` naming the file and the key when the file
    ///   is not JSON, lacks a key, has an unknown format, version or link, a duplicate
    ///   feature name or a non-finite number.
    ///   A file over `limits.maxFileBytes` is refused before it is parsed, and one whose
    ///   decoding is planned above `limits.memoryBudgetBytes` (``JSONMemoryPlan``) before
    ///   it is decoded.
    public init(contentsOf path: String, limits: Limits = Limits()) throws {
        try self.init(jsonData: try ModelFile.contents(of: path, limits: limits), path: path, limits: limits)
    }

    /// Parses the linear JSON schema from `data`, planned within `limits.memoryBudgetBytes`;
    /// `path` names the file in errors.
    public init(jsonData data: Data, path: String, limits: Limits = Limits()) throws {
        let file = try ModelFile.decodeJSON(FileSchema.self, from: ModelFile.withoutByteOrderMark(data), path: path,
                                            what: "linear model", limits: limits)
        func fail(_ message: String, field: String) -> FairleadError {
            FairleadError(.invalidModel, message, at: SourceLocation(file: path, field: field))
        }
        guard file.format == "fairlead-linear" else {
            throw fail("unknown format \"\(file.format)\", expected \"fairlead-linear\"", field: "format")
        }
        guard file.version == 1 else {
            throw fail("unsupported version \(file.version), this Fairlead reads version 1", field: "version")
        }
        guard let link = Link(rawValue: file.link) else {
            throw fail("unknown link \"\(file.link)\", expected \"identity\" or \"logit\"", field: "link")
        }
        guard file.intercept.isFinite else { throw fail("the intercept is not a finite number", field: "intercept") }
        var seen = Set<String>()
        for (index, feature) in file.features.enumerated() {
            guard !feature.name.isEmpty else { throw fail("empty feature name", field: "features[\(index)].name") }
            guard seen.insert(feature.name).inserted else {
                throw fail("feature \"\(feature.name)\" is listed twice", field: "features[\(index)].name")
            }
            guard feature.coefficient.isFinite else {
                throw fail("the coefficient of \"\(feature.name)\" is not a finite number", field: "features[\(index)].coefficient")
            }
        }
        self.init(featureNames: file.features.map(\.name), coefficients: file.features.map(\.coefficient),
                  intercept: file.intercept, link: link)
    }
}
