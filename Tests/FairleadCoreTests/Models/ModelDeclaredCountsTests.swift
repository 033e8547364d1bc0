import Foundation
import Testing
@testable import FairleadCore

/// Model files whose declared counts disagree with what they hold, or whose numbers leave
/// the range of the arithmetic their library uses: errors naming the tree and node.
@Suite struct ModelDeclaredCountsTests {
    /// The leads LightGBM model (60 trees), edited by `edit`.
    static func lightGBM(_ edit: (String) -> String) throws -> String {
        edit(try String(contentsOfFile: ModelFixtures.path("lgb-leads-binary.txt"), encoding: .utf8))
    }

    /// The leads XGBoost model, its JSON edited by `edit`.
    static func xgboost(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: ModelFixtures.path("xgb-leads-logistic.json")))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    /// `learner.gradient_booster.model.trees` of `json`, edited by `edit`.
    static func editTrees(_ json: inout [String: Any], _ edit: (inout [[String: Any]]) -> Void) {
        var learner = json["learner"] as? [String: Any] ?? [:]
        var booster = learner["gradient_booster"] as? [String: Any] ?? [:]
        var model = booster["model"] as? [String: Any] ?? [:]
        var trees = model["trees"] as? [[String: Any]] ?? []
        edit(&trees)
        model["trees"] = trees
        booster["model"] = model
        learner["gradient_booster"] = booster
        json["learner"] = learner
    }

    @Test func aLightGBMFileMissingATreeItsHeaderListsIsRefused() throws {
        // Cut the last tree: the file still ends in "end of trees", and loaded silently before.
        let text = try Self.lightGBM { text in
            guard let start = text.range(of: "Tree=59\n"), let end = text.range(of: "end of trees") else { return text }
            return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
        }
        let path = "lgb-leads-binary.txt"
        #expect(throws: FairleadError(.invalidModel, "tree_sizes lists 60 trees, but the file holds 59", at: SourceLocation(file: path, line: 10))) {
            _ = try LightGBMModelLoader.load(textData: Data(text.utf8), path: path)
        }
    }

    @Test func theIntactLightGBMFileLoadsAllItsTrees() throws {
        let model = try LightGBMModelLoader.load(textData: Data(try Self.lightGBM { $0 }.utf8), path: "m.txt")
        #expect(model.trees.count == 60)
        #expect(model.featureNames.count == 32)
    }

    @Test(arguments: ["-1", "2000000000"])
    func aLightGBMFeatureIndexOutOfRangeIsRefused(index: String) throws {
        let text = try Self.lightGBM { $0.replacingOccurrences(of: "max_feature_idx=31", with: "max_feature_idx=\(index)") }
        #expect(throws: FairleadError(.invalidModel, "max_feature_idx=\(index) is not a feature index (0 to 1048575)",
                                      at: SourceLocation(file: "m.txt", line: 6))) {
            _ = try LightGBMModelLoader.load(textData: Data(text.utf8), path: "m.txt")
        }
    }

    /// A feature named twice would head two output columns alike (attributions wrote
    /// `f0,f0`): refused by both tree loaders, as the linear and ONNX loaders refuse it.
    @Test func aFeatureNamedTwiceIsRefusedByBothTreeLoaders() throws {
        let xgboost = try Self.xgboost { json in
            var learner = json["learner"] as? [String: Any] ?? [:]
            var names = learner["feature_names"] as? [String] ?? []
            names[3] = names[1]
            learner["feature_names"] = names
            json["learner"] = learner
        }
        let error = #expect(throws: FairleadError.self) { _ = try XGBoostModelLoader.load(jsonData: xgboost, path: "m.json") }
        #expect(error?.message.contains("is named twice; every output would show two columns of that name") == true, "\(String(describing: error))")
        #expect(error?.location?.field == "learner.feature_names[3]")

        let lightgbm = try Self.lightGBM { text in
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("feature_names=") }) else { return text }
            var names = line.dropFirst("feature_names=".count).split(separator: " ").map(String.init)
            names[5] = names[0]
            return text.replacingOccurrences(of: String(line), with: "feature_names=" + names.joined(separator: " "))
        }
        let lightError = #expect(throws: FairleadError.self) { _ = try LightGBMModelLoader.load(textData: Data(lightgbm.utf8), path: "m.txt") }
        #expect(lightError?.message.contains("is named twice in feature_names") == true, "\(String(describing: lightError))")
    }

    @Test func anXGBoostLeafBeyondFloat32NamesItsTreeAndNode() throws {
        let data = try Self.xgboost { json in
            Self.editTrees(&json) { trees in
                var conditions = trees[4]["split_conditions"] as? [Double] ?? []
                let leaf = (trees[4]["left_children"] as? [Int] ?? []).firstIndex(of: -1) ?? 0
                conditions[leaf] = 1e39
                trees[4]["split_conditions"] = conditions
            }
        }
        #expect {
            _ = try XGBoostModelLoader.load(jsonData: data, path: "m.json")
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.location == SourceLocation(file: "m.json", field: "learner.gradient_booster.model.trees[4]")
                && error.message.hasPrefix("node ") && error.message.hasSuffix("has a leaf value 1e+39 beyond the float32 range XGBoost stores it in")
        }
    }

    @Test func leafValuesThatCanSumPastFloat32AreRefused() throws {
        let data = try Self.xgboost { json in
            Self.editTrees(&json) { trees in
                for index in trees.indices {
                    let leaves = (trees[index]["left_children"] as? [Int] ?? []).enumerated().filter { $0.element == -1 }.map(\.offset)
                    var conditions = trees[index]["split_conditions"] as? [Double] ?? []
                    conditions[leaves[0]] = 1e37
                    trees[index]["split_conditions"] = conditions
                }
            }
        }
        // 35 leaves of 1e37 pass 3.4028e38: tree 34 is the first that can overflow.
        #expect(throws: FairleadError(.invalidModel,
                                      "tree 34 brings the sum of the largest leaf values past the float32 range (largest 3.4028234663852886e+38): margins would be infinite",
                                      at: SourceLocation(file: "m.json", field: "learner.gradient_booster.model.trees[34]"))) {
            _ = try XGBoostModelLoader.load(jsonData: data, path: "m.json")
        }
    }

    @Test func theMarginBoundAddsTheLargestLeafOfEachTree() throws {
        let model = try XGBoostModelLoader.load(contentsOf: ModelFixtures.path("xgb-leads-logistic.json"))
        try TreeEnsemble.checkMarginBound(baseMargin: model.baseMargin, trees: model.trees, inFloat32: true) { index, message in
            FairleadError(.invalidModel, "tree \(index) \(message)")
        }
        #expect(throws: FairleadError(.invalidModel, "tree 0 brings the sum of the largest leaf values past the float32 range (largest 3.4028234663852886e+38): margins would be infinite")) {
            try TreeEnsemble.checkMarginBound(baseMargin: 1e39, trees: model.trees, inFloat32: true) { index, message in
                FairleadError(.invalidModel, "tree \(index) \(message)")
            }
        }
    }
}
