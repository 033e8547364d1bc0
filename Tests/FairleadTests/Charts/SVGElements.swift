import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The elements of an SVG document, parsed by a real XML parser, with their attributes:
/// what the chart tests measure.
struct SVGElements {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// Text content (for `<title>`, `<text>`).
        var text = ""
        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
        func number(_ attribute: String) -> Double {
            Double(attributes[attribute] ?? "") ?? .nan
        }
    }

    var elements: [Element] = []

    init(_ svg: String) throws {
        final class Delegate: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            var open: [Int] = []
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                open.append(elements.count)
                elements.append(Element(name: elementName, attributes: attributes))
            }
            func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
                open.removeLast()
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if let index = open.last { elements[index].text += string }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "not well-formed XML: \(String(describing: parser.parserError))"])
        }
        elements = delegate.elements
    }

    /// Elements named `name` with class `className` (all of that name when nil).
    func all(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className == nil || $0.classes.contains(className ?? "")) }
    }
}
