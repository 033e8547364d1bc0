import FairleadCore

/// Explanations of leads as HTML cards for sales reps: per lead its score, a waterfall
/// from the typical lead's score through the reasons shown to this lead's score, and the
/// reasons in plain words — the same reasons `fairlead explain` gives in every format, so
/// never a sensitive attribute or a proxy (what the explainer withheld is not named; its
/// effect is inside "all other factors").
///
/// With a logit link the waterfall reads in probability points (0–100): the typical
/// lead's chance, each reason's points, the other factors together, the lead's chance;
/// with an identity link in score units. The cards are written as a stream — ``header``,
/// ``cards(_:)`` batch after batch, ``footer`` — so a whole file needs bounded memory;
/// ``Layout/fragment`` leaves out the page around them (for embedding in a CRM) and
/// scopes its style sheet to the cards.
public struct HTMLExplainCards: Sendable {
    /// A whole page or a fragment to embed.
    public enum Layout: Sendable {
        case page
        case fragment
    }

    public let layout: Layout
    /// The typical lead's margin (the attributions' base value) and the model's link.
    public let baseValue: Double
    public let link: Link
    /// Reasons per direction the explanations were made with.
    public let top: Int

    public init(layout: Layout, baseValue: Double, link: Link, top: Int) {
        self.layout = layout
        self.baseValue = baseValue
        self.link = link
        self.top = top
    }

    /// The class of the element the cards sit in (and the fragment's style is scoped to).
    static let container = "fl-cards"

    private static let cardsMarker = "\u{1}fairlead-cards\u{1}"

    /// Everything before the first card.
    public var header: String {
        let intro = introduction
        switch layout {
        case .page:
            let page = HTMLPage.document(title: "Lead explanations", body: [
                .tag("main", [:], [
                    .tag("h1", text: "Why these leads score as they do"),
                    .tag("p", ["class": "explain"], text: intro),
                    .tag("div", ["class": Self.container], [.trusted(Self.cardsMarker)]),
                ]),
            ])
            return String(page.components(separatedBy: Self.cardsMarker).first ?? page)
        case .fragment:
            let style = Markup.tag("style", [:], [.trusted(HTMLStyle.scoped(".\(Self.container)"))])
            return "<div class=\"\(Self.container)\">" + style.html + ChartPalette.definitions.html
                + Markup.tag("p", ["class": "explain"], text: intro).html + "<div class=\"cards\">"
        }
    }

    /// Everything after the last card.
    public var footer: String {
        switch layout {
        case .page:
            let page = HTMLPage.document(title: "Lead explanations", body: [
                .tag("main", [:], [.tag("div", ["class": Self.container], [.trusted(Self.cardsMarker)])]),
            ])
            return String(page.components(separatedBy: Self.cardsMarker).last ?? "")
        case .fragment:
            return "</div></div>\n"
        }
    }

    private var introduction: String {
        let typical = link.prediction(fromMargin: baseValue)
        let units = link == .logit ? "probability points (pts): a typical lead converts with a chance of \(ChartNumber.label(typical * 100, digits: 1)) in 100"
                                   : "score units: a typical lead scores \(ChartNumber.label(typical))"
        return "Up to \(top) reason\(top == 1 ? "" : "s") raising and \(top) lowering each lead's score, strongest first; effects in \(units)."
    }

    /// The cards of `leads`, in order.
    public func cards(_ leads: [LeadExplanation]) -> String {
        let cards = leads.map(card).map(\.html).joined(separator: "\n")
        return layout == .page ? "<div class=\"cards\">" + cards + "</div>\n" : cards + "\n"
    }

    /// One lead's card.
    func card(_ lead: LeadExplanation) -> Markup {
        let logit = link == .logit
        let scale = logit ? 100.0 : 1.0
        let start = link.prediction(fromMargin: baseValue) * scale
        let end = lead.score * scale
        let shown = lead.raising + lead.lowering
        func effect(_ reason: LeadExplanation.Reason) -> Double { reason.points ?? reason.contribution }
        let shownSum = shown.reduce(0) { $0 + effect($1) }
        let rest = (end - start) - shownSum
        // The other factors' bar only when it moves the score as shown (one decimal of a
        // point, three of a score): a bar reading "+0.0 pts" is no factor, as a reason is not.
        let restShown = (abs(rest) * (logit ? 10 : 1000)).rounded() >= 1
        let steps = shown.map { reason in
            WaterfallChart.Step(label: reason.feature, delta: effect(reason), text: signed(effect(reason), points: logit), note: reason.text)
        } + (restShown ? [WaterfallChart.Step(label: "all other factors", delta: rest, text: signed(rest, points: logit))] : [])
        let unit = logit ? "chance of converting (probability points)" : "score"
        let chart = WaterfallChart(title: "\(Self.name(lead)): from the typical lead's score to this lead's",
                                   description: "typical \(ChartNumber.label(start, digits: 1)); " + steps.map { "\($0.label) \($0.text ?? "")" }.joined(separator: "; ")
                                    + "; this lead \(ChartNumber.label(end, digits: 1))",
                                   axisTitle: unit, start: ("typical lead", start), steps: steps, end: ("this lead", end),
                                   digits: logit ? 1 : 3)
        func list(_ reasons: [LeadExplanation.Reason], _ className: String) -> Markup {
            .tag("ul", ["class": className], reasons.map { reason in
                .tag("li", [:], [.text(reason.text), .tag("span", ["class": "meta"], text: " (\(signed(effect(reason), points: logit)))")])
            })
        }
        var children: [Markup] = [
            .tag("h2", [:], [.text("\(Self.name(lead)) "), .tag("span", ["class": "meta"], text: "score \(ChartNumber.label(lead.score))")]),
        ]
        if !lead.raising.isEmpty { children += [.tag("h3", ["class": "raising"], text: "Raising the score"), list(lead.raising, "raising")] }
        if !lead.lowering.isEmpty { children += [.tag("h3", ["class": "lowering"], text: "Lowering the score"), list(lead.lowering, "lowering")] }
        children.append(.tag("figure", [:], [.tag("figcaption", text: "How the score adds up"), chart.svg,
                                             .tag("p", ["class": "meta"], text: "“All other factors” sums every factor not listed above.")]))
        return .tag("article", ["class": "card", "aria-label": Self.name(lead)], children)
    }

    /// "Lead L0000042", or for a lead sent without an id its place in the request
    /// ("Lead at index 0"), never a number that reads as an id.
    static func name(_ lead: LeadExplanation) -> String {
        lead.index.map { "Lead at index \($0)" } ?? "Lead \(lead.id)"
    }

    private func signed(_ value: Double, points: Bool) -> String {
        let text = ChartNumber.label(value, digits: points ? 1 : 3)
        return (value >= 0 ? "+" : "") + text + (points ? " pts" : "")
    }
}
