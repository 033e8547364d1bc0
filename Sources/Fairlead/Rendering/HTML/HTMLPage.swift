import Crypto
import FairleadCore
import Foundation

/// The frame of every Fairlead HTML page: one self-contained file. The style sheet is
/// inline, the one optional script too (it opens every `<details>` before printing), and
/// a Content-Security-Policy forbids every other source, so that even a mistake cannot
/// make the page fetch anything: no font, image, script or style leaves the file.
enum HTMLPage {
    /// Opens every collapsed section before printing; the page reads the same without it.
    static let script = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});"

    /// The policy: nothing from anywhere, but this page's own style and its one script (by hash).
    static var contentSecurityPolicy: String {
        let digest = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-\(digest)'; img-src data:; base-uri 'none'; form-action 'none'"
    }

    /// A whole page: `<!DOCTYPE html>`, the head with `title`, and `body`.
    static func document(title: String, body: [Markup]) -> String {
        let page = Markup.tag("html", ["lang": "en"], [
            .tag("head", [:], [
                .empty("meta", ["charset": "utf-8"]),
                .empty("meta", ["http-equiv": "Content-Security-Policy", "content": contentSecurityPolicy]),
                .empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                .empty("meta", ["name": "color-scheme", "content": "light dark"]),
                .tag("title", text: title),
                .tag("style", [:], [.trusted(HTMLStyle.page)]),
            ]),
            .tag("body", [:], [ChartPalette.definitions] + body + [.tag("script", [:], [.trusted(script)])]),
        ])
        return "<!DOCTYPE html>\n" + page.html + "\n"
    }

    /// A figure: the chart, its caption, and the plain-words explanation beside it.
    /// `text` as a table or chart shows a label (a group, attribute, decision or feature
    /// name): cut at ``TextTable/labelWidth`` characters, the last `…`, as the terminal and
    /// Markdown tables cut it; escaped where it is written. Reads no more of `text` than that,
    /// so a name of millions of characters costs a page 40 wherever it is shown.
    static func label(_ text: String) -> String {
        TextTable.truncated(String(text.prefix(TextTable.labelWidth + 1)), to: TextTable.labelWidth)
    }

    /// `text` as any other cell or note shows it: cut at ``TextTable/cellWidth`` characters.
    static func cell(_ text: String) -> String {
        TextTable.truncated(String(text.prefix(TextTable.cellWidth + 1)), to: TextTable.cellWidth)
    }

    static func figure(_ chart: Markup, caption: String, explanation: String? = nil, legend: Markup? = nil) -> Markup {
        var children: [Markup] = [.tag("figcaption", text: caption)]
        if let explanation { children.append(.tag("p", ["class": "explain"], text: explanation)) }
        children.append(chart)
        if let legend { children.append(legend) }
        return .tag("figure", [:], children)
    }

    /// What a grey bar of a drift chart means: undecided, by noise or by size.
    static let undecidedDrift = "undecided: noise could explain it, or too few rows (grey, marked *)"

    /// The legend of bar charts: what each fill and line means; `undecided` says what a
    /// grey (insufficient evidence) bar means.
    static func barLegend(limit: Bool = true, band: String? = nil, series: [String] = [],
                          undecided: String = "insufficient evidence (grey, marked *)") -> Markup {
        var parts: [Markup] = []
        if series.count > 1 {
            for (index, name) in series.enumerated() {
                parts.append(.tag("span", ["class": "legend-swatch \(index == 0 ? "pass" : "s1")", "aria-hidden": "true"]))
                parts.append(.text(name))
            }
        } else {
            parts += [.tag("span", ["class": "legend-swatch pass", "aria-hidden": "true"]), .text("passes"),
                      .tag("span", ["class": "legend-swatch fail", "aria-hidden": "true"]), .text("fails (hatched)"),
                      .tag("span", ["class": "legend-swatch small", "aria-hidden": "true"]),
                      .text(undecided)]
        }
        parts.append(.text(" · whiskers: interval"))
        if limit {
            parts += [.tag("span", ["class": "legend-swatch limit", "aria-hidden": "true"]), .text("limit (dashed line)")]
        }
        if let band {
            parts += [.tag("span", ["class": "legend-swatch band", "aria-hidden": "true"]), .text(band)]
        }
        return .tag("p", ["class": "meta legend"], parts)
    }
}
