@testable import Fairlead
import FairleadCore
import Foundation
import Testing

/// An explanation card's waterfall runs from the typical lead's score through the reasons
/// shown to this lead's score, and names nothing but the reasons.
@Suite struct HTMLExplainCardsTests {
    static let lead = LeadExplanation(
        id: "L1", margin: 1, score: 1 / (1 + exp(-1.0)),
        raising: [.init(feature: "web_visits", text: "21 website visits, above the typical 5", value: .number(21), typical: .number(5),
                        contribution: 0.8, points: 17.5)],
        lowering: [.init(feature: "job_level", text: "Job level is intern", value: .category("intern"), typical: .category("manager"),
                         contribution: -0.2, points: -4.0)],
        withheld: ["postal_area"])

    @Test func waterfallEndsAtTheLeadsScoreInProbabilityPoints() throws {
        let cards = HTMLExplainCards(layout: .page, baseValue: 0, link: .logit, top: 1)
        let svg = try SVGElements(cards.card(Self.lead).html)
        let steps = svg.all("rect", class: "step")
        #expect(steps.count == 3)
        let end = Self.lead.score * 100
        // typical 50 → +17.5 → −4 → all other factors → this lead.
        #expect(steps[0].attributes["data-from"] == ChartNumber.label(50, digits: 6))
        #expect(steps[0].attributes["data-to"] == ChartNumber.label(67.5, digits: 6))
        #expect(steps[1].attributes["data-to"] == ChartNumber.label(63.5, digits: 6))
        #expect(steps[2].attributes["data-to"] == ChartNumber.label(end, digits: 6))
        let totals = svg.all("rect", class: "total")
        #expect(totals.last?.attributes["data-to"] == ChartNumber.label(end, digits: 6))
        let labels = svg.all("text", class: "row-label").map(\.text)
        #expect(labels == ["typical lead", "web_visits", "job_level", "all other factors", "this lead"])
    }

    /// Other factors that move the score by less than the card shows (0.05 pts) get no
    /// bar: it read "all other factors +0.0 pts".
    @Test func otherFactorsThatShowAsZeroGetNoBar() throws {
        let margin = 0.8 - 0.2 + 0.001
        // The shown points are the rescale rule's, so they add up to the score's move.
        let perUnit = try #require(Link.logit.pointsPerMarginUnit(margin: margin, baseValue: 0))
        let exact = LeadExplanation(id: "L1", margin: margin, score: 1 / (1 + exp(-margin)),
                                    raising: [.init(feature: "web_visits", text: "21", value: .number(21), typical: .number(5),
                                                    contribution: 0.8, points: 0.8 * perUnit)],
                                    lowering: [.init(feature: "job_level", text: "intern", value: .category("intern"),
                                                     typical: .category("manager"), contribution: -0.2, points: -0.2 * perUnit)],
                                    withheld: [])
        let cards = HTMLExplainCards(layout: .page, baseValue: 0, link: .logit, top: 1)
        let labels = try SVGElements(cards.card(exact).html).all("text", class: "row-label").map(\.text)
        #expect(labels == ["typical lead", "web_visits", "job_level", "this lead"])
    }

    @Test func withheldFeaturesAreNeverNamed() {
        let cards = HTMLExplainCards(layout: .fragment, baseValue: 0, link: .logit, top: 1)
        let html = cards.header + cards.cards([Self.lead]) + cards.footer
        #expect(!html.contains("postal_area"))
        #expect(html.contains("21 website visits, above the typical 5"))
        #expect(html.hasPrefix("<div class=\"fl-cards\"><style>"))
        #expect(html.hasSuffix("</div></div>\n"))
    }
}
