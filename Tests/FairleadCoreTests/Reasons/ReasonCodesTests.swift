import Foundation
import Testing
@testable import FairleadCore

@Suite("Reason codes: top factors each way, typical values, what reps never see")
struct ReasonCodesTests {
    /// Three leads over four sources (a, b, c numeric; d categorical) with given attributions.
    static func fixture(_ rows: [[Double]], withheld: [String: ReasonCodes.Withholding] = [:], top: Int = 2,
                        templates: ReasonTemplates = .standard, link: Link = .logit) throws -> [LeadExplanation] {
        let sources = try FeatureSources(featureNames: ["a", "b", "c", "d=x", "d=y"], header: ["id", "a", "b", "c", "d"])
        let features = Matrix(rowArrays: [[1, 2, .nan, 1, 0], [5, 0, 3, 0, 1], [2, 2, 2, 0, 0]])
        let batch = LeadBatch(ids: ["L1", "L2", "L3"], features: features, categories: [[], [], [], [0, 1, -1]],
                              levels: [[], [], [], ["x", "y"]])
        let typical = TypicalValues(values: [.number(2), .number(1), .unknown, .level("x")])
        let codes = ReasonCodes(sources: sources, typical: typical, templates: templates, top: top, withheld: withheld, link: link)
        let attributions = Attributions(featureNames: ["a", "b", "c", "d"], baseValue: -1, values: Matrix(rowArrays: rows))
        return codes.explain(batch, attributions: attributions, threads: 2)
    }

    @Test func strongestFirstEachWayWithValuesAndTypicalValues() throws {
        let leads = try Self.fixture([[0.5, -0.2, 0.1, -0.9], [0, 0.3, 0.3, 0.2], [-0.1, -0.1, 0, 0]])
        let first = leads[0]
        #expect(first.id == "L1")
        #expect(abs(first.margin - (-1.5)) < 1e-15)
        #expect(abs(first.score - 1 / (1 + exp(1.5))) < 1e-15)
        #expect(first.raising.map(\.feature) == ["a", "c"])
        #expect(first.raising.map(\.text) == ["A is 1, below the typical 2 — the strongest reason for this score", "C is not known"])
        #expect(first.raising[0].value == .number(1) && first.raising[0].typical == .number(2))
        #expect(first.raising[1].value == .missing && first.raising[1].typical == .missing)
        #expect(first.lowering.map(\.feature) == ["d", "b"])
        #expect(first.lowering.map(\.text) == ["D is x — the strongest reason against it", "B is 2, above the typical 1"])
        #expect(first.lowering.map(\.contribution) == [-0.9, -0.2])
        // Ties go to the source listed first; zero is no reason.
        #expect(leads[1].raising.map(\.feature) == ["b", "c"])
        #expect(leads[1].lowering.isEmpty)
        #expect(leads[2].raising.isEmpty)
        #expect(leads[2].lowering.map(\.feature) == ["a", "b"])
        #expect(leads.allSatisfy { $0.withheld.isEmpty })
    }

    @Test func aFactorWhoseEffectShowsAsZeroIsNoReason() throws {
        // Base −1 on the logit: one margin unit is 100·p(1−p) ≈ 19.66 pts near it, so
        // 0.0026 is 0.051 pts ("0.1 pts") and 0.0025 is 0.049 pts ("0.0 pts").
        let rows = [[1e-12, -1e-12, 0, 0], [0.0026, -0.0025, 0.0025, -0.0026], [0.0015, -1e-9, 0.9, -0.0015]]
        let leads = try Self.fixture(rows, withheld: ["c": .sensitive])
        #expect(leads[0].raising.isEmpty && leads[0].lowering.isEmpty)
        #expect(leads[1].raising.map(\.feature) == ["a"] && leads[1].lowering.map(\.feature) == ["d"])
        #expect(leads[1].raising[0].points.map { (($0 * 10).rounded()) } == 1)
        for lead in leads {
            for reason in lead.raising + lead.lowering {
                #expect(abs(reason.points ?? 0) >= 0.05, "\(lead.id): \(reason.feature) shown as 0.0 pts")
            }
        }
        // A withheld factor marks the lead only with an effect a rep would read.
        #expect(leads[1].withheld.isEmpty)
        #expect(leads[2].withheld == ["c"])
        #expect(leads[2].raising.isEmpty && leads[2].lowering.isEmpty)
        // The identity link shows score units to two decimals: 0.005 is shown, 0.0049 is not.
        let identity = try Self.fixture([[0.005, -0.0049, 0.0049, -0.006], [0, 0, 0, 0], [0, 0, 0, 0]], link: .identity)
        #expect(identity[0].raising.map(\.feature) == ["a"] && identity[0].lowering.map(\.feature) == ["d"])
    }

    @Test func aWithheldFeatureIsSkippedAndMarksTheLead() throws {
        let rows = [[0.5, -0.2, 0.1, -0.9], [0.1, 0.3, 0.4, 0.2], [0.4, 0.3, 0.2, 0.1]]
        let leads = try Self.fixture(rows, withheld: ["d": .declaredProxy], top: 2)
        // Lead 1: d was the strongest reason against; the next one moves up.
        #expect(leads[0].lowering.map(\.feature) == ["b"])
        #expect(leads[0].lowering[0].text == "B is 2, above the typical 1 — the strongest reason against it")
        #expect(leads[0].withheld == ["d"])
        // Lead 2: d ranks third of four raising factors, outside the top 2: not marked.
        #expect(leads[1].raising.map(\.feature) == ["c", "b"])
        #expect(leads[1].withheld.isEmpty)
        // Lead 3: d ranks last: not marked.
        #expect(leads[2].withheld.isEmpty)
        // A reason list never names a withheld feature.
        #expect(leads.allSatisfy { lead in !(lead.raising + lead.lowering).contains { $0.feature == "d" } })
    }

    @Test func withheldFeaturesAreListedByStrength() throws {
        let leads = try Self.fixture([[0.5, -0.2, 0.1, -0.9], [0.1, 0.3, 0.4, 0.2], [0.4, 0.3, 0.2, 0.1]],
                                     withheld: ["d": .sensitive, "a": .detectedProxy(attribute: "ethnicity")], top: 1)
        #expect(leads[0].withheld == ["d", "a"])
        #expect(leads[0].raising.map(\.feature) == ["c"])
        #expect(leads[2].withheld == ["a"])
    }

    @Test func featureWordingOverridesTheDefaults() throws {
        var templates = ReasonTemplates.standard
        templates.features["a"] = .init(label: "pricing page views", raises: try ReasonTemplate("Visited the pricing page {value} times"))
        templates.features["d"] = .init(lowers: try ReasonTemplate("Came in through {value}"), values: ["x": "a web form"])
        templates.strongestAgainst = ""
        let leads = try Self.fixture([[0.5, -0.2, 0.1, -0.9], [-0.5, 0, 0, 0], [0, 0, 0, 0]], templates: templates)
        #expect(leads[0].raising[0].text == "Visited the pricing page 1 times — the strongest reason for this score")
        #expect(leads[0].lowering[0].text == "Came in through a web form")
        #expect(leads[0].lowering[0].value == .category("a web form"))
        #expect(leads[0].lowering[0].typical == .category("a web form"))
        // The label serves the default sentence of the other direction.
        #expect(leads[1].lowering[0].text == "Pricing page views is 5, above the typical 2")
    }

    @Test func typicalValuesAreMediansAndModes() throws {
        let model = try ExplanationFixtures.model()
        let (reader, batch) = try ExplanationFixtures.leads(model)
        var accumulator = TypicalValues.Accumulator(sources: reader.sources)
        for start in stride(from: 0, to: batch.count, by: 1234) {
            accumulator.add(batch.subset(Array(start..<min(batch.count, start + 1234))))
        }
        let typical = accumulator.result()
        let names = reader.sources.sources.map(\.name)
        func value(_ name: String) -> TypicalValues.Value? { names.firstIndex(of: name).map { typical.values[$0] } }
        // pandas on the sample: web_visits.median() 5.0, days_since_first_touch.median() 29.7,
        // pricing_page_views.median() 1.0, lead_source.mode() web_form, postal_area.mode() PA11.
        #expect(value("web_visits") == .number(5))
        #expect(value("days_since_first_touch") == .number(29.7))
        #expect(value("pricing_page_views") == .number(1))
        #expect(value("lead_source") == .level("web_form"))
        #expect(value("postal_area") == .level("PA11"))
        #expect(TypicalValues.median([3, 1, 2, 10]) == 2.5)
    }

    /// Numeric values that read as their typical value at two decimals: the sentence gets
    /// the decimals that tell them apart (up to six), and when none do, it compares nothing
    /// — an attribution is measured from the average prediction, so a lead with the typical
    /// value still has an effect, and "equal to the typical 1 (-0.3 pts)" contradicts itself.
    @Test func valuesThatReadAsTheTypicalOneAreNeverEqualToItNorAboveIt() throws {
        let sources = try FeatureSources(featureNames: ["a", "b", "c", "e"], header: ["id", "a", "b", "c", "e"])
        let features = Matrix(rowArrays: [[1, 1.004, 2.001, 1.0000001], [1.0001, 0.996, 2.0034, 7], [0.999999, 3, 2.003, 1]])
        let batch = LeadBatch(ids: ["L1", "L2", "L3"], features: features, categories: [[], [], [], []], levels: [[], [], [], []])
        let typical = TypicalValues(values: [.number(1), .number(1.001), .number(2.003), .number(1)])
        var templates = ReasonTemplates.standard
        templates.strongestFor = ""
        templates.strongestAgainst = ""
        // Own wording that compares (it stops before its comparison) and one that only shows the typical value.
        let pricing = try ReasonTemplate("Viewed the pricing page {value} times, {comparison} the typical {typical}")
        templates.features["c"] = .init(label: "pricing page views", raises: pricing, lowers: pricing)
        let shown = try ReasonTemplate("E: {value} (typical {typical})")
        templates.features["e"] = .init(raises: shown, lowers: shown)
        // One that shows no value before its comparison: the default words, with its label.
        let backwards = try ReasonTemplate("{comparison} the typical {typical}: {value} {label}")
        templates.features["a"] = .init(label: "demo visits", raises: backwards, lowers: backwards)
        let codes = ReasonCodes(sources: sources, typical: typical, templates: templates, top: 4, link: .logit)
        let attributions = Attributions(featureNames: ["a", "b", "c", "e"], baseValue: 0,
                                        values: Matrix(rowArrays: [[-0.4, 0.3, -0.2, 0.1], [0.4, -0.3, 0.2, 0.1], [-0.4, 0.3, -0.2, 0.1]]))
        let leads = codes.explain(batch, attributions: attributions, threads: 1)
        let texts = leads.map { ($0.raising + $0.lowering).map(\.text) }
        #expect(texts[0] == ["B is 1.004, above the typical 1.001", "E: 1 (typical 1)",
                             "Demo visits is 1", "Viewed the pricing page 2.001 times, below the typical 2.003"])
        #expect(texts[1] == ["above the typical 1: 1.0001 demo visits", "Viewed the pricing page 2.0034 times, above the typical 2.003",
                             "E: 7 (typical 1)", "B is 0.996, below the typical 1.001"])
        #expect(texts[2] == ["B is 3, above the typical 1", "E: 1 (typical 1)",
                             "below the typical 1: 0.999999 demo visits", "Viewed the pricing page 2.003 times"])
        // The default sentence stops before its comparison.
        let plain = ReasonCodes(sources: sources, typical: typical, top: 4, link: .logit)
            .explain(batch, attributions: attributions, threads: 1)
        #expect(plain[0].lowering.first?.text == "A is 1 — the strongest reason against it")
        #expect(plain[2].lowering.last?.text == "C is 2.003")
        // No sentence says equal, nor compares two numbers it shows alike.
        #expect(!texts.joined().contains { $0.contains("equal") })
        // The data values keep their own precision.
        #expect(leads[0].lowering.first?.value == .number(1) && leads[0].lowering.first?.typical == .number(1))
    }
}
