import Foundation
import Testing

/// No margin, contribution, base value or score that is not finite reaches an output, and
/// no number that is not finite is read as a measurement: a finite input whose derived
/// values overflow is refused with its location, and every JSON output is JSON.
@Suite struct CLINonFiniteOutputTests {
    /// Runs `script` in bash from the package root, with `$F` the fairlead binary and `$D`
    /// a fresh folder; its standard error and exit status, and the folder.
    static func run(_ script: String) throws -> (status: Int32, standardError: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-finite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try CLIOutputSafetyTests.bash("D=\(folder.path)\n" + script)
        return (result.status, result.standardError, folder)
    }

    static func text(_ folder: URL, _ name: String) -> String? {
        try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The lead L0000042 (line 43) with web_visits (column 7) `cell`, and the explanations profile reading it.
    static func leadsWithWebVisits(_ cell: String) -> String {
        """
        cp -r fixtures/profiles fixtures/leads fixtures/explanations "$D"/
        awk -F, 'BEGIN{OFS=","} $1=="L0000042"{$7="\(cell)"} {print}' fixtures/leads/leads-sample.csv > "$D"/leads/cell.csv
        sed 's#path: ../leads/leads-sample.csv#path: ../leads/cell.csv#' "$D"/profiles/leads-explanations.yaml > "$D"/profiles/cell.yaml

        """
    }

    @Test(arguments: ["inf", "Infinity", "-INF", "nan", "1e999"])
    func aFeatureCellThatIsNotAFiniteNumberStopsExplainAtItsLocation(_ cell: String) throws {
        let result = try Self.run(Self.leadsWithWebVisits(cell) + """
            "$F" explain --profile "$D"/profiles/leads-explanations.yaml --data "$D"/leads/cell.csv --ids L0000042 \
                --format json --out "$D"/out.json
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        let expected = cell.lowercased().contains("inf") ? "expected a finite number" : "expected a number"
        #expect(result.standardError.contains("cell.csv:43:7 (web_visits): \(expected), found \"\(cell)\""), "\(result.standardError)")
        #expect(Self.text(result.folder, "out.json") == nil)
    }

    @Test func anInfiniteFeatureCellStopsTheAuditAtItsLocationNotInTheProxyCheck() throws {
        let result = try Self.run(Self.leadsWithWebVisits("inf") + """
            cd "$D"/profiles && "$F" audit --profile cell.yaml > /dev/null
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("cell.csv:43:7 (web_visits): expected a finite number, found \"inf\""), "\(result.standardError)")
        #expect(!result.standardError.contains("Hessian"))
    }

    /// Coefficients ±10 and a value of 1e308: finite inputs, a contribution of ±inf (the
    /// background's means are 0.5, so the base value is finite).
    static let overflowingLinearModel = """
        printf '%s' '{"format":"fairlead-linear","version":1,"link":"logit","intercept":0,"features":[{"name":"a","coefficient":10},{"name":"b","coefficient":-10}]}' > "$D"/lin.json
        printf 'id,a,b\\n1,0,0\\n2,1e308,1\\n3,1,1\\n' > "$D"/rows.csv
        printf 'a,b\\n0,0\\n1,1\\n' > "$D"/bg.csv

        """

    @Test(arguments: ["text", "json", "csv", "html"])
    func aContributionThatOverflowsIsRefusedWithTheLeadsLineAndFeature(_ format: String) throws {
        let result = try Self.run(Self.overflowingLinearModel + """
            "$F" explain --model "$D"/lin.json --data "$D"/rows.csv --id-column id --background "$D"/bg.csv --format \(format) --out "$D"/out
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("rows.csv:3 (a): the contribution of \"a\" is inf, not a finite number"),
                "\(result.standardError)")
        #expect(Self.text(result.folder, "out") == nil)
    }

    @Test(arguments: ["text", "json", "csv", "html"])
    func aBaseValueThatOverflowsIsRefusedBeforeAnythingIsWritten(_ format: String) throws {
        // Without a background the explained rows are LinearSHAP's: a mean of 5e307 times 10.
        let result = try Self.run("""
            printf '%s' '{"format":"fairlead-linear","version":1,"link":"logit","intercept":0,"features":[{"name":"a","coefficient":10},{"name":"b","coefficient":-10}]}' > "$D"/lin.json
            printf 'id,a,b\\n1,1e308,1\\n2,0,0\\n' > "$D"/rows.csv
            "$F" explain --model "$D"/lin.json --data "$D"/rows.csv --id-column id --format \(format) > "$D"/out
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("the base value (the typical margin attributions are measured from"), "\(result.standardError)")
        #expect(Self.text(result.folder, "out") == "")
    }

    @Test(arguments: ["csv", "json"])
    func attributionsRefuseAContributionThatOverflows(_ format: String) throws {
        let result = try Self.run(Self.overflowingLinearModel + """
            "$F" attributions --model "$D"/lin.json --data "$D"/rows.csv --id-column id --background "$D"/bg.csv --format \(format) --out "$D"/out
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("rows.csv:3:2 (a): the contribution of \"a\" is inf, not a finite number"),
                "\(result.standardError)")
        #expect(Self.text(result.folder, "out") == nil)
    }

    /// One XGBoost stump on f0 < 0.5, leaves 1 and 2, every cover (sum_hessian) 1e308:
    /// finite, but vₗ·coverₗ is not. Its base value is 1·1 + 2·1 = 3 by shares of the cover.
    static let hugeCoverXGBoost = """
        printf 'f0,f1,f2\\n0.1,0.2,0.3\\n-1,0.5,2\\n' > "$D"/rows.csv
        cat > "$D"/m.json <<'J'
        {"learner":{"attributes":{},"feature_names":[],"feature_types":[],"gradient_booster":{"model":{"cats":{"enc":[],"feature_segments":[],"sorted_idx":[]},"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"1"},"iteration_indptr":[0,1],"tree_info":[0],"trees":[{"base_weights":[0,0,0],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],"default_left":[0,0,0],"id":0,"left_children":[1,-1,-1],"loss_changes":[0,0,0],"parents":[2147483647,0,0],"right_children":[2,-1,-1],"split_conditions":[0.5,1,2],"split_indices":[0,0,0],"split_type":[0,0,0],"sum_hessian":[1e308,1e308,1e308],"tree_param":{"num_deleted":"0","num_feature":"3","num_nodes":"3","size_leaf_vector":"1"}}]},"name":"gbtree"},"learner_model_param":{"base_score":"5E-1","boost_from_average":"1","num_class":"0","num_feature":"3","num_target":"1"},"objective":{"name":"binary:logistic","reg_loss_param":{"scale_pos_weight":"1"}}},"version":[3,2,0]}
        J

        """

    @Test func hugeFiniteCoversGiveAFiniteBaseValue() throws {
        let result = try Self.run(Self.hugeCoverXGBoost + """
            "$F" attributions --model "$D"/m.json --data "$D"/rows.csv --out "$D"/a.csv &&
            "$F" explain --model "$D"/m.json --data "$D"/rows.csv --format json --out "$D"/e.json
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Self.text(result.folder, "a.csv") == "id,base_value,f0,f1,f2,margin\n1,3,-2,0,0,1\n2,3,-2,0,0,1\n")
        let json = try #require(Self.text(result.folder, "e.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["base_value"] as? Double == 3)
        let leads = try #require(object["leads"] as? [[String: Any]])
        #expect(leads.map { $0["margin"] as? Double } == [1, 1])
        #expect(leads.map { $0["score"] as? Double } == [0.731059, 0.731059])
    }

    /// A LightGBM stump on f0 ≤ 0.5 with leaves `leaves` and every count (cover) `count`.
    static func lightGBMStump(leaves: String, count: String) -> String {
        """
        printf 'f0,f1,f2\\n0.1,0.2,0.3\\n-1,0.5,2\\n' > "$D"/rows.csv
        printf '%s\\n' tree version=v4 num_class=1 num_tree_per_iteration=1 label_index=0 max_feature_idx=2 \\
          'objective=binary sigmoid:1' 'feature_names=f0 f1 f2' 'feature_infos=[0:1] [0:1] [0:1]' tree_sizes=257 '' \\
          Tree=0 num_leaves=2 num_cat=0 split_feature=0 split_gain=1 threshold=0.5 decision_type=2 left_child=-1 \\
          right_child=-2 'leaf_value=\(leaves)' 'leaf_weight=1 1' 'leaf_count=\(count) \(count)' internal_value=0 internal_weight=1 \\
          internal_count=\(count) is_linear=0 shrinkage=1 '' '' 'end of trees' '' pandas_categorical:null > "$D"/model.txt

        """
    }

    @Test func aLightGBMTreeWithHugeCountsGivesAFiniteBaseValue() throws {
        let result = try Self.run(Self.lightGBMStump(leaves: "1 2", count: "1e+308") + """
            "$F" attributions --model "$D"/model.txt --data "$D"/rows.csv --out "$D"/a.csv
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Self.text(result.folder, "a.csv") == "id,base_value,f0,f1,f2,margin\n1,3,-2,0,0,1\n2,3,-2,0,0,1\n")
    }

    @Test func coversWhoseMeanOverflowsAreRefusedWhenTheModelIsRead() throws {
        // Leaves of 1e308 with equal covers: each finite, their cover-weighted sum is not.
        let result = try Self.run(Self.lightGBMStump(leaves: "1e308 1e308", count: "1") + """
            "$F" attributions --model "$D"/model.txt --data "$D"/rows.csv --out "$D"/a.csv
            """)
        defer { try? FileManager.default.removeItem(at: result.folder) }
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("model.txt:12: Tree=0 node 0 has covers (1.0, children 1.0 and 1.0) whose cover-weighted mean of leaf values is inf, not a finite number"),
                "\(result.standardError)")
        #expect(Self.text(result.folder, "a.csv") == nil)
    }
}
