import Foundation
import Testing
@testable import Fairlead

/// A corpus of bad profiles, each with the exact message it must give.
@Suite struct AuditProfileErrorTests {
    static let valid = """
        name: t
        data:
          score: s
          label: y
        decisions:
          - threshold: 0.5
        sensitive:
          - column: g
        """

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty", yaml: "", expected: "p.yaml: the profile is empty; expected a mapping with at least 'name' and 'data'"),
        Case(name: "not a mapping", yaml: "- a\n- b\n", expected: "p.yaml:1:1: expected a mapping of keys to values, found a list"),
        Case(name: "bad YAML", yaml: "name: [a\n", expected: "p.yaml:2:1: not valid YAML: did not find expected ',' or ']'"),
        // The reader's errors are placed too, and name the character by its code point only.
        Case(name: "merge key", yaml: "name: m\ndata:\n  <<: {path: a.csv, score: s}\n",
             expected: "p.yaml:3:3: YAML merge keys (<<) are not supported in profiles; write the keys out, or share them with extends:"),
        Case(name: "control character", yaml: "name: x\u{1B}[31m\ndata:\n  path: a.csv\n",
             expected: "p.yaml:1:8: not readable as YAML: control characters are not allowed (U+001B)"),
        Case(name: "control character after a multi-byte line", yaml: "# café ✓\nname: ok\ndata: {path: \"\u{7F}\"}\n",
             expected: "p.yaml:3:15: not readable as YAML: control characters are not allowed (U+007F)"),
        // A key written with no value was read as absent: a drift: section whose keys were
        // all commented out turned drift off, a label: left empty audited without labels.
        Case(name: "section with no value", yaml: valid + "\ndrift:\n  # tolerance: 0.05\n",
             expected: "p.yaml:9:1 (drift): 'drift' is written with no value, which would leave the section out; write 'drift: {}' for the section with every default, or remove the key"),
        Case(name: "section written as null", yaml: valid + "\nexplanations: ~\n",
             expected: "p.yaml:9:1 (explanations): 'explanations' is written with no value, which would leave the section out; write 'explanations: {}' for the section with every default, or remove the key"),
        Case(name: "model written as null", yaml: valid + "\nmodel: null\n",
             expected: "p.yaml:9:1 (model): 'model' is written with no value; give it one, or remove the key to leave it out (under extends:, a key with no value removes the base profile's)"),
        Case(name: "nested key with no value", yaml: "name: t\ndata:\n  score: s\n  label:\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n",
             expected: "p.yaml:4:3 (data.label): 'label' is written with no value; give it one, or remove the key to leave it out (under extends:, a key with no value removes the base profile's)"),
        Case(name: "key with no value inside a list", yaml: "name: t\ndata: {score: s}\ndecisions: [{threshold: 0.5}]\nsensitive:\n  - column: g\n    bins: null\n",
             expected: "p.yaml:6:5 (sensitive[0].bins): 'bins' is written with no value; give it one, or remove the key to leave it out (under extends:, a key with no value removes the base profile's)"),
        Case(name: "null as a missing marker", yaml: "name: t\ndata: {score: s, missing_markers: [NA, null]}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n",
             expected: "p.yaml:2:40 (data.missing_markers[1]): expected a text value, found nothing (null); write \"null\" in quotes for the text null"),
        Case(name: "missing name", yaml: "data: {score: s}\n",
             expected: "p.yaml:1:1 (name): missing required key 'name' (a short name for the audit)"),
        Case(name: "unknown key with suggestion",
             yaml: valid + "\nsetings:\n  seed: 1\n",
             expected: "p.yaml:9:1 (setings): unknown key 'setings' (did you mean 'settings'?); expected one of: name, purpose, extends, data, decisions, sensitive, intersections, metrics, rules, settings, model, explanations, drift, limits, individual_fairness, privacy, mitigation, statistics"),
        Case(name: "typo inside a decision",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: 0.5\n    nmae: x\nsensitive: [g]\n",
             expected: "p.yaml:5:5 (decisions[0].nmae): unknown key 'nmae' (did you mean 'name'?); expected one of: name, threshold, top_k, prediction"),
        Case(name: "threshold not a number",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: high\nsensitive: [g]\n",
             expected: "p.yaml:4:16 (decisions[0].threshold): expected a number, found 'high'"),
        // A number is read as data's numbers are: hex was 0.5, 1e-400 was 0, YAML's .inf infinite.
        // A rule scoped to no attribute or decision was valid and never judged.
        Case(name: "rule for no attribute",
             yaml: valid + "\nrules:\n  - {check: disparate_impact >= 0.8, attributes: []}\n",
             expected: "p.yaml:10:5 (rules[0].attributes): an empty list applies the rule to no attribute, so it is never judged; list attributes (g) or leave the key out for all"),
        Case(name: "rule for no decision",
             yaml: valid + "\nrules:\n  - {check: disparate_impact >= 0.8, decisions: []}\n",
             expected: "p.yaml:10:5 (rules[0].decisions): an empty list applies the rule to no decision, so it is never judged; list decisions (threshold_0.5) or leave the key out for all"),
        Case(name: "hex threshold",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: 0x1p-1\nsensitive: [g]\n",
             expected: "p.yaml:4:16 (decisions[0].threshold): expected a number, found '0x1p-1'"),
        Case(name: "threshold below a double's range",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: 1e-400\nsensitive: [g]\n",
             expected: "p.yaml:4:16 (decisions[0].threshold): expected a number, found '1e-400'"),
        Case(name: "hex rule bound",
             yaml: valid + "\nrules: [disparate_impact >= 0x1]\n",
             expected: "p.yaml:9:9 (rules[0]): expected 'METRIC OP NUMBER' with OP one of >=, <=, >, < (such as 'disparate_impact >= 0.8'), found 'disparate_impact >= 0x1'"),
        Case(name: "misspelt decision kind",
             yaml: "name: t\ndata: {score: s}\ndecisions: [{treshold: 1}]\nsensitive: [g]\n",
             expected: "p.yaml:3:14 (decisions[0].treshold): unknown key 'treshold' (did you mean 'threshold'?); expected one of: name, threshold, top_k, prediction"),
        Case(name: "two kinds in one decision",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - {threshold: 0.5, top_k: 10}\nsensitive: [g]\n",
             expected: "p.yaml:4:5 (decisions[0]): expected exactly one of 'threshold', 'top_k' or 'prediction', found 2"),
        Case(name: "bad top_k",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - top_k: 150%\nsensitive: [g]\n",
             expected: "p.yaml:4:12 (decisions[0].top_k): expected a positive count such as 100, or a share such as 10% or 0.1, found '150%'"),
        Case(name: "no decisions",
             yaml: "name: t\ndata: {score: s}\ndecisions: []\nsensitive: [g]\n",
             expected: "p.yaml:3:12 (decisions): expected at least one decision rule"),
        Case(name: "duplicate decision names",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: 0.5\n  - {threshold: 0.6, name: threshold_0.5}\nsensitive: [g]\n",
             expected: "p.yaml:5:5 (decisions[1]): two decision rules are named 'threshold_0.5'; give one a different 'name'"),
        Case(name: "rule that can never fail",
             yaml: valid + "\nrules:\n  - demographic_parity_difference <= 5\n",
             expected: "p.yaml:10:5 (rules[0]): the rule 'demographic_parity_difference <= 5' can never fail: demographic_parity_difference lies in [0, 1] (fairlead metrics); was the bound meant to be another number?"),
        Case(name: "rule that can never pass",
             yaml: valid + "\nrules:\n  - check: disparate_impact < 0\n",
             expected: "p.yaml:10:12 (rules[0].check): the rule 'disparate_impact < 0' can never pass: disparate_impact lies in [0, ∞) (fairlead metrics); was the bound meant to be another number?"),
        Case(name: "rule expression",
             yaml: valid + "\nrules:\n  - disparate impact > .8\n",
             expected: "p.yaml:10:5 (rules[0]): expected 'METRIC OP NUMBER' with OP one of >=, <=, >, < (such as 'disparate_impact >= 0.8'), found 'disparate impact > .8'"),
        Case(name: "rule on an unknown attribute",
             yaml: valid + "\nrules:\n  - check: disparate_impact >= 0.8\n    attributes: [race]\n",
             expected: "p.yaml:10:5 (rules[0].attributes): 'race' is not an attribute of this profile; expected one of: g"),
        Case(name: "rule on an unknown decision",
             yaml: valid + "\nrules:\n  - check: disparate_impact >= 0.8\n    decisions: [top]\n",
             expected: "p.yaml:10:5 (rules[0].decisions): 'top' is not a decision rule of this profile; expected one of: threshold_0.5"),
        Case(name: "rule scoped to a decision twice",
             yaml: valid + "\nrules:\n  - check: disparate_impact >= 0.8\n    decisions: [threshold_0.5, threshold_0.5]\n",
             expected: "p.yaml:10:5 (rules[0].decisions): 'threshold_0.5' is listed twice"),
        Case(name: "rule scoped to an attribute twice",
             yaml: valid + "\nrules:\n  - check: disparate_impact >= 0.8\n    attributes: [g, g]\n",
             expected: "p.yaml:10:5 (rules[0].attributes): 'g' is listed twice"),
        Case(name: "rule at a top-k cutoff scoped to a threshold",
             yaml: valid.replacingOccurrences(of: "  - threshold: 0.5", with: "  - threshold: 0.5\n  - top_k: 10%")
                 + "\nrules:\n  - check: precision_at_k >= 0.1\n    decisions: [top_10pct, threshold_0.5]\n",
             expected: "p.yaml:11:5 (rules[0].decisions): precision_at_k is measured at a top-k decision's cutoff, and 'threshold_0.5' is not a top-k decision, so the rule would never be judged there; list the profile's: top_10pct"),
        Case(name: "rule at a top-k cutoff in a profile without one",
             yaml: valid + "\nrules:\n  - check: skew_at_k >= -1\n    decisions: [threshold_0.5]\n",
             expected: "p.yaml:10:5 (rules[0].decisions): skew_at_k is measured at a top-k decision's cutoff, and 'threshold_0.5' is not a top-k decision, so the rule would never be judged there; the profile has none: add one such as '- top_k: 10%', or leave 'decisions' out for the default cutoff, the top 10%"),
        Case(name: "threshold-free rule scoped to a decision",
             yaml: valid + "\nrules:\n  - check: auc >= 0.7\n    decisions: [threshold_0.5]\n",
             expected: "p.yaml:10:5 (rules[0].decisions): auc is measured over every score, whatever the decision (the lead queue, threshold-free), so a rule on it applies to no decision; leave 'decisions' out"),
        Case(name: "the label column is the score column",
             yaml: valid.replacingOccurrences(of: "label: y", with: "label: s"),
             expected: "p.yaml:4:10 (data.label): 's' is the score column (data.score) too: one column cannot be both the score column (data.score) and the label column (data.label); name another column"),
        Case(name: "a sensitive attribute is the label column",
             yaml: valid.replacingOccurrences(of: "column: g", with: "column: y"),
             expected: "p.yaml:8:5 (sensitive[0]): 'y' is the label column (data.label) too: one column cannot be both the label column (data.label) and a sensitive attribute (sensitive[0]); name another column"),
        Case(name: "a prediction column is a sensitive attribute",
             yaml: valid.replacingOccurrences(of: "  - threshold: 0.5", with: "  - threshold: 0.5\n  - prediction: g"),
             expected: "p.yaml:9:5 (sensitive[0]): 'g' is the prediction column of decision prediction_g too: one column cannot be both the prediction column of decision prediction_g and a sensitive attribute (sensitive[0]); name another column"),
        Case(name: "intersection of an undeclared column",
             yaml: valid + "\nintersections:\n  - [g, region]\n",
             expected: "p.yaml:10:5 (intersections[0]): 'region' is not a sensitive column of this profile; list it under 'sensitive' first"),
        Case(name: "intersection of one column",
             yaml: valid + "\nintersections:\n  - [g]\n",
             expected: "p.yaml:10:5 (intersections[0]): expected two or more different sensitive columns, found [g]"),
        Case(name: "interval level out of range",
             yaml: valid + "\nsettings:\n  interval_level: 95\n",
             expected: "p.yaml:10:3 (settings.interval_level): expected a level between 0 and 1 such as 0.95, found 95.0"),
        Case(name: "negative bootstrap",
             yaml: valid + "\nsettings:\n  bootstrap: -5\n",
             expected: "p.yaml:10:14 (settings.bootstrap): expected a whole number ≥ 0, found '-5'"),
        Case(name: "one bootstrap replicate",
             yaml: valid + "\nsettings:\n  bootstrap: 1\n",
             expected: "p.yaml:10:14 (settings.bootstrap): 1 replicate cannot give a 95% percentile interval: it needs at least 40 (1000 is usual; 0 turns the bootstrap off)"),
        Case(name: "too few bootstrap replicates for the level",
             yaml: valid + "\nsettings:\n  interval_level: 0.99\n  bootstrap: 100\n",
             expected: "p.yaml:11:14 (settings.bootstrap): 100 replicates cannot give a 99% percentile interval: it needs at least 200 (1000 is usual; 0 turns the bootstrap off)"),
        Case(name: "bad missing policy",
             yaml: "name: t\ndata: {score: s}\ndecisions: [{threshold: 1}]\nsensitive:\n  - column: g\n    missing: drop\n",
             expected: "p.yaml:5:5 (sensitive[0].missing): expected 'unknown' (audit missing values as their own group) or 'exclude', found 'drop'"),
        Case(name: "duplicate sensitive column",
             yaml: "name: t\ndata: {score: s}\ndecisions: [{threshold: 1}]\nsensitive: [g, g]\n",
             expected: "p.yaml:4:16 (sensitive[1]): the sensitive column 'g' is listed twice"),
        Case(name: "duplicate key",
             yaml: valid + "\nname: u\n",
             expected: "p.yaml:9:1: the key 'name' is written twice in one mapping (first at line 1); keep one"),
        Case(name: "duplicate key, quoted, in a list's mapping",
             yaml: "name: t\ndata: {score: s}\ndecisions:\n  - threshold: 1\n    # a comment\n\n    'threshold': 2\nsensitive: [g]\n",
             expected: "p.yaml:7:5: the key 'threshold' is written twice in one mapping (first at line 4); keep one"),
        Case(name: "duplicate key in a flow mapping",
             yaml: "{name: t, name: u}\n",
             expected: "p.yaml:1:2: the mapping that starts here has a key twice: 'name'"),
        Case(name: "a tag on a value",
             yaml: "name: t\ndata: {score: s}\ndecisions: [{threshold: !!float 1}]\nsensitive: [g]\n",
             expected: "p.yaml:3:25: YAML tags are not supported in profiles (!!float); write the value alone (quote it to make it text)"),
        Case(name: "a tag after an anchor",
             yaml: "name: t\ndata: {score: &s !custom s}\ndecisions: [{threshold: 1}]\nsensitive: [g]\n",
             expected: "p.yaml:2:15: YAML tags are not supported in profiles (!custom); write the value alone (quote it to make it text)"),
        Case(name: "score range reversed",
             yaml: "name: t\ndata: {score: s, score_range: [1, 0]}\ndecisions: [{threshold: 1}]\nsensitive: [g]\n",
             expected: "p.yaml:2:31 (data.score_range): expected lowest ≤ highest, found [1.0, 0.0]"),
        Case(name: "data is a list",
             yaml: "name: t\ndata: [s]\ndecisions: [{threshold: 1}]\nsensitive: [g]\n",
             expected: "p.yaml:2:7 (data): expected a mapping of keys to values, found a list"),
        Case(name: "drift baseline neither last_passing nor pinned",
             yaml: valid + "\ndrift:\n  baseline: latest\n",
             expected: "p.yaml:10:13 (drift.baseline): expected 'last_passing' or a mapping such as '{pinned: 12}' (a history entry) or '{pinned: report.json}', found 'latest'"),
        Case(name: "drift baseline pinned to entry 0",
             yaml: valid + "\ndrift:\n  baseline: {pinned: 0}\n",
             expected: "p.yaml:10:22 (drift.baseline.pinned): expected a history entry id (a whole number, 1 or more) or a report file (quote a file name that reads as a number: pinned: \"0\"), found '0'"),
        Case(name: "drift baseline pinned to a fraction",
             yaml: valid + "\ndrift:\n  baseline: {pinned: 1.5}\n",
             expected: "p.yaml:10:22 (drift.baseline.pinned): expected a history entry id (a whole number, 1 or more) or a report file (quote a file name that reads as a number: pinned: \"1.5\"), found '1.5'"),
        Case(name: "drift baseline mapping without pinned",
             yaml: valid + "\ndrift:\n  baseline: {entry: 3}\n",
             expected: "p.yaml:10:13 (drift.baseline): expected 'last_passing' (a value: `baseline: last_passing`) or a mapping such as '{pinned: 12}' (a history entry) or '{pinned: report.json}'; this mapping has no key 'pinned'"),
        Case(name: "drift baseline last_passing as a key",
             yaml: valid + "\ndrift:\n  baseline: {last_passing: 1}\n",
             expected: "p.yaml:10:13 (drift.baseline): expected 'last_passing' (a value: `baseline: last_passing`) or a mapping such as '{pinned: 12}' (a history entry) or '{pinned: report.json}'; this mapping has no key 'pinned'"),
        Case(name: "negative drift tolerance",
             yaml: valid + "\ndrift:\n  tolerance: -0.1\n",
             expected: "p.yaml:10:3 (drift.tolerance): expected a tolerance ≥ 0 such as 0.05, found -0.1"),
        Case(name: "drift psi zero",
             yaml: valid + "\ndrift:\n  psi: 0\n",
             expected: "p.yaml:10:3 (drift.psi): expected a population stability index > 0 such as 0.25, found 0.0"),
        Case(name: "drift share shift above one",
             yaml: valid + "\ndrift:\n  share_shift: 5\n",
             expected: "p.yaml:10:3 (drift.share_shift): expected a share change between 0 and 1 such as 0.05, found 5.0"),
        Case(name: "drift confidence of one",
             yaml: valid + "\ndrift:\n  confidence: 1\n",
             expected: "p.yaml:10:3 (drift.confidence): expected a confidence between 0 and 1 such as 0.99, found 1.0"),
        Case(name: "misspelt drift key",
             yaml: valid + "\ndrift:\n  tolerence: 0.1\n",
             expected: "p.yaml:10:3 (drift.tolerence): unknown key 'tolerence' (did you mean 'tolerance'?); expected one of: baseline, tolerance, psi, share_shift, confidence, metrics"),
        Case(name: "unknown drift metric",
             yaml: valid + "\ndrift:\n  metrics: [demographic_parity]\n",
             expected: "p.yaml:10:3 (drift.metrics): 'demographic_parity' is not a fairness value or group metric drift can compare (did you mean 'demographic_parity_ratio'?)"),
        Case(name: "drift is a list",
             yaml: valid + "\ndrift: [tolerance]\n",
             expected: "p.yaml:9:8 (drift): expected a mapping of keys to values, found a list"),
        Case(name: "misspelt explanations key",
             yaml: valid + "\nexplanations:\n  proxy_treshold: {auc: 0.7}\n",
             expected: "p.yaml:10:3 (explanations.proxy_treshold): unknown key 'proxy_treshold' (did you mean 'proxy_thresholds'?); expected one of: top, proxies, allow_in_reasons, proxy_thresholds, multivariate, reference, reference_rows, templates, features"),
        Case(name: "unknown proxy threshold",
             yaml: valid + "\nexplanations:\n  proxy_thresholds: {cramer: 0.3}\n",
             expected: "p.yaml:10:22 (explanations.proxy_thresholds.cramer): unknown key 'cramer'; expected one of: cramers_v, correlation_ratio, auc, mutual_information, multivariate_auc"),
        Case(name: "AUC threshold under one half",
             yaml: valid + "\nexplanations:\n  proxy_thresholds:\n    auc: 0.3\n",
             expected: "p.yaml:11:5 (explanations.proxy_thresholds.auc): expected a value between 0.5 and 1.0 such as 0.7, found 0.3"),
        Case(name: "zero reasons",
             yaml: valid + "\nexplanations:\n  top: 0\n",
             expected: "p.yaml:10:8 (explanations.top): expected a whole number ≥ 1, found '0'"),
        Case(name: "one fold",
             yaml: valid + "\nexplanations:\n  multivariate: {folds: 1}\n",
             expected: "p.yaml:10:25 (explanations.multivariate.folds): expected a whole number ≥ 2, found '1'"),
        Case(name: "template placeholder typo",
             yaml: valid + "\nexplanations:\n  templates:\n    numeric: {raises: '{Label} is {vlue}'}\n",
             expected: "p.yaml:11:23 (explanations.templates.numeric.raises): unknown placeholder {vlue} in the template \"{Label} is {vlue}\" (did you mean {value}?); expected one of: {label}, {Label}, {value}, {typical}, {comparison}"),
        Case(name: "unknown feature wording key",
             yaml: valid + "\nexplanations:\n  features:\n    web_visits: {lable: visits}\n",
             expected: "p.yaml:11:18 (explanations.features.web_visits.lable): unknown key 'lable' (did you mean 'label'?); expected one of: label, raises, lowers, missing, values"),
        Case(name: "proxies not a list of names",
             yaml: valid + "\nexplanations:\n  proxies: [{postal_area: 1}]\n",
             expected: "p.yaml:10:13 (explanations.proxies[0]): expected a feature name, found a mapping"),
        Case(name: "unknown explainer",
             yaml: valid + "\nmodel:\n  path: m.json\n  explainer: deep\n",
             expected: "p.yaml:10:3 (model.explainer): expected one of tree, tree-interventional, linear, kernel, found 'deep'"),
    ]

    @Test(arguments: cases)
    func badProfileGivesItsMessage(_ testCase: Case) {
        #expect {
            _ = try AuditProfile.parse(testCase.yaml, file: "p.yaml")
        } throws: { error in
            guard let error = error as? FairleadError, error.kind == .invalidProfile else { return false }
            #expect(error.description == testCase.expected)
            return error.description == testCase.expected
        }
    }

    @Test func missingBaseProfileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("child.yaml").path
        try ("extends: base.yaml\n" + Self.valid).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: FairleadError(.invalidProfile,
                                      "the base profile 'base.yaml' does not exist (looked for \(folder.path)/base.yaml)",
                                      at: SourceLocation(file: path, line: 1, column: 10, field: "extends"))) {
            try AuditProfile.load(path: path)
        }
    }

    @Test func extendsCycleIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.yaml").path, b = folder.appendingPathComponent("b.yaml").path
        try "extends: b.yaml\nname: a\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "extends: a.yaml\nname: b\n".write(toFile: b, atomically: true, encoding: .utf8)
        #expect(throws: FairleadError(.invalidProfile, "profiles extend each other in a cycle: \(a) -> \(b) -> \(a)",
                                      at: SourceLocation(file: b, line: 1, column: 10, field: "extends"))) {
            try AuditProfile.load(path: a)
        }
    }

    /// Under extends:, a key with no value removes the base's key (docs/profiles.md); one
    /// that removes nothing is refused as it is in a profile of its own.
    @Test func keyWithNoValueRemovesTheBaseKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = folder.appendingPathComponent("base.yaml").path, child = folder.appendingPathComponent("child.yaml").path
        try (Self.valid + "\ndrift: {tolerance: 0.1}\n").replacingOccurrences(of: "  label: y", with: "  label: y\n  path: a.csv")
            .write(toFile: base, atomically: true, encoding: .utf8)
        #expect(try AuditProfile.load(path: base).drift?.tolerance == 0.1)
        #expect(try AuditProfile.load(path: base).data.path == folder.appendingPathComponent("a.csv").path)
        try "extends: base.yaml\ndrift:\ndata:\n  path: ~\n".write(toFile: child, atomically: true, encoding: .utf8)
        let merged = try AuditProfile.load(path: child)
        #expect(merged.drift == nil)
        #expect(merged.data.path == nil)
        #expect(merged.data.label == "y")
        try "extends: base.yaml\nprivacy:\n".write(toFile: child, atomically: true, encoding: .utf8)
        #expect(throws: FairleadError(.invalidProfile,
                                      "'privacy' is written with no value, which would leave the section out; write 'privacy: {}' for the section with every default, or remove the key",
                                      at: SourceLocation(file: child, line: 2, column: 1, field: "privacy"))) {
            try AuditProfile.load(path: child)
        }
    }

    @Test func errorInBaseNamesTheBaseFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = folder.appendingPathComponent("base.yaml").path, child = folder.appendingPathComponent("child.yaml").path
        try "settings:\n  min_group_size: 0\n".write(toFile: base, atomically: true, encoding: .utf8)
        try ("extends: base.yaml\n" + Self.valid).write(toFile: child, atomically: true, encoding: .utf8)
        #expect(throws: FairleadError(.invalidProfile, "expected a whole number ≥ 1, found '0'",
                                      at: SourceLocation(file: base, line: 2, column: 19, field: "settings.min_group_size"))) {
            try AuditProfile.load(path: child)
        }
    }
}
