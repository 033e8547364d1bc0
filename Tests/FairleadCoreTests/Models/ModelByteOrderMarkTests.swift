import Foundation
import Testing
@testable import FairleadCore

/// A UTF-8 byte order mark at the start of a model file (Windows editors write one) is read
/// past, as a CSV file's is: an XGBoost model so saved was refused as "1:1: not valid JSON
/// (malformed)".
@Suite struct ModelByteOrderMarkTests {
    static let mark = Data([0xEF, 0xBB, 0xBF])

    /// A UTF-8 byte order mark (Windows editors write one) was "1:1: not valid JSON".
    @Test func aByteOrderMarkIsReadPast() throws {
        let marked = Self.mark + Data(ModelXGBoostDeclarationTests.model().utf8)
        let model = try XGBoostModelLoader.load(jsonData: marked, path: "m.json")
        #expect(model.trees.count == 1)
        #expect(try ModelLoader.detectFormat(marked, path: "m.json") == .xgboost)
        // Places are counted in the text after the mark, as an editor shows them.
        let text = ModelXGBoostDeclarationTests.model(splitType: "[0, 7, 0]")
        let (line, column) = try ModelXGBoostDeclarationTests.place(of: "7", in: text, after: "split_type")
        #expect(throws: FairleadError(.invalidModel, "node 1 has split_type 7; XGBoost writes 0 (numeric) or 1 (categorical)",
                                      at: SourceLocation(file: "m.json", line: line, column: column, field: "\(ModelXGBoostDeclarationTests.modelField).trees[0].split_type[1]"))) {
            _ = try XGBoostModelLoader.load(jsonData: Self.mark + Data(text.utf8), path: "m.json")
        }
    }

    @Test func aByteOrderMarkIsReadPastInLinearAndLightGBMModelsToo() throws {
        let linear = #"{"format": "fairlead-linear", "version": 1, "link": "logit", "intercept": 0.5, "features": [{"name": "a", "coefficient": 1}]}"#
        let model = try LinearModel(jsonData: Self.mark + Data(linear.utf8), path: "m.json")
        #expect(model.featureNames == ["a"])
        let text = try String(contentsOfFile: ModelFixtures.path("lgb-diabetes-regression.txt"), encoding: .utf8)
        let lightGBM = try LightGBMModelLoader.load(textData: Self.mark + Data(text.utf8), path: "m.txt")
        #expect(lightGBM.trees.count == 40)
    }
}
