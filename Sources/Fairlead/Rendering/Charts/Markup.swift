import FairleadCore
import Foundation
import Plot

// Why Plot (JohnSundell/Plot 0.14.0) and not swift-mustache: a chart is geometry computed
// in Swift — every rectangle's x and width come from a scale — so the markup is built
// where the numbers are, as a tree of typed nodes, rather than handed to a template as a
// view model and looped over in a second language. Plot gives that tree and its renderer
// with no dependencies, no template files to ship or parse at run time, and output that
// depends only on the nodes (no ids, no dates: byte-identical pages). Its typed HTML DSL
// has no SVG, so both the page and its charts use one context of custom elements below.
// Plot escapes neither attribute values nor entity-like text as this project needs
// (`&lt;` in a group name must show as typed), so every value that Fairlead did not
// write itself goes through ``HTMLEscaping/text(_:)`` here, at one place: ``Markup/text(_:)``
// and every attribute of ``Markup/tag(_:_:_:)``.

/// The one node context of Fairlead's HTML and SVG.
enum MarkupContext {}

/// A node of an HTML page or an inline SVG chart.
typealias Markup = Node<MarkupContext>

extension Node where Context == MarkupContext {
    /// An element with attributes (each value escaped) and children.
    static func tag(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [Markup] = []) -> Markup {
        .element(named: name, nodes: attributes.map { attribute in
            Markup.attribute(Attribute(name: attribute.key, value: HTMLEscaping.text(attribute.value), ignoreIfValueIsEmpty: false))
        } + children)
    }

    /// An element holding text (escaped).
    static func tag(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) -> Markup {
        tag(name, attributes, [.text(text)])
    }

    /// An element without content, written `<name …/>` (SVG shapes; HTML's void elements).
    static func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) -> Markup {
        .selfClosedElement(named: name, attributes: attributes.map { attribute in
            Attribute<MarkupContext>(name: attribute.key, value: HTMLEscaping.text(attribute.value), ignoreIfValueIsEmpty: false)
        })
    }

    /// Text from anywhere, escaped by ``HTMLEscaping/text(_:)`` (Plot's own `.text` leaves
    /// entity-like text such as `&lt;` as an entity).
    static func text(_ text: String) -> Markup {
        .raw(HTMLEscaping.text(text))
    }

    /// Markup Fairlead wrote itself (a style sheet, a script): never data.
    static func trusted(_ markup: String) -> Markup {
        .raw(markup)
    }

    /// The nodes rendered, without indentation.
    var html: String { render() }
}

/// Numbers as charts and tables write them: deterministic, locale-free.
enum ChartNumber {
    /// A coordinate: rounded to 0.1, no trailing zeros, never `-0`.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // A scale over a domain of ±1e300 can map a point far off the drawing: it is
        // clipped there, and `Int` of a larger value would stop the process.
        let tenths = min(max((value * 10).rounded(), -1e15), 1e15)
        if tenths == 0 { return "0" }
        let integer = Int(tenths)
        let sign = integer < 0 ? "-" : ""
        let magnitude = abs(integer)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// A value label with `digits` decimals.
    static func label(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "undefined" : (value > 0 ? "∞" : "−∞") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = Int(scaled)
        let divisor = Int(scale)
        let sign = value < 0 && units != 0 ? "−" : ""
        guard digits > 0 else { return sign + String(units) }
        let fraction = String(units % divisor)
        return sign + String(units / divisor) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// A tick label: as few decimals as the step needs (steps are 1, 2 or 5 × 10^k).
    static func tick(_ value: Double, step: Double) -> String {
        let digits = step > 0 && step.isFinite ? max(0, min(6, Int(max(-1, -floor(log10(step) + 1e-9))))) : 0
        return label(value, digits: digits)
    }
}
