/// The colours, patterns and markers of Fairlead's charts.
///
/// Series colours are Okabe and Ito's palette ("Color Universal Design", 2008), chosen
/// to stay apart under the common colour-vision deficiencies; each series also has its own
/// marker shape and dash pattern, and a failing bar its own hatching, so a chart printed
/// in greyscale or read without colour says the same. Colours are CSS custom properties
/// (``HTMLStyle``), redefined under `prefers-color-scheme: dark`.
enum ChartPalette {
    /// Series colours as CSS variables, in order (blue, orange, bluish green, vermillion,
    /// sky blue, reddish purple, yellow, grey).
    static let seriesCount = 8

    /// The CSS class of series `index` (colour and dash pattern by class).
    static func seriesClass(_ index: Int) -> String {
        "s\(index % seriesCount)"
    }

    /// The marker shapes, in series order.
    enum Marker: CaseIterable {
        case circle, square, triangle, diamond, cross, triangleDown, plus, star
    }

    static func marker(_ index: Int) -> Marker {
        Marker.allCases[index % Marker.allCases.count]
    }

    /// A marker of `size` centred at (x, y), as one SVG element.
    static func markerNode(_ marker: Marker, x: Double, y: Double, size: Double = 4, className: String) -> Markup {
        let c = ChartNumber.coordinate
        switch marker {
        case .circle:
            return .empty("circle", ["class": className, "cx": c(x), "cy": c(y), "r": c(size)])
        case .square:
            return .empty("rect", ["class": className, "x": c(x - size), "y": c(y - size), "width": c(2 * size), "height": c(2 * size)])
        default:
            let points: [(Double, Double)]
            switch marker {
            case .triangle: points = [(0, -1.2), (1.1, 0.9), (-1.1, 0.9)]
            case .triangleDown: points = [(0, 1.2), (1.1, -0.9), (-1.1, -0.9)]
            case .diamond: points = [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)]
            case .cross: points = [(-1, -1.3), (0, -0.3), (1, -1.3), (1.3, -1), (0.3, 0), (1.3, 1), (1, 1.3), (0, 0.3),
                                   (-1, 1.3), (-1.3, 1), (-0.3, 0), (-1.3, -1)]
            case .plus: points = [(-0.35, -1.3), (0.35, -1.3), (0.35, -0.35), (1.3, -0.35), (1.3, 0.35), (0.35, 0.35),
                                  (0.35, 1.3), (-0.35, 1.3), (-0.35, 0.35), (-1.3, 0.35), (-1.3, -0.35), (-0.35, -0.35)]
            default: points = [(0, -1.4), (0.4, -0.4), (1.4, -0.4), (0.6, 0.2), (0.9, 1.3), (0, 0.6), (-0.9, 1.3),
                               (-0.6, 0.2), (-1.4, -0.4), (-0.4, -0.4)]
            }
            let text = points.map { "\(c(x + $0.0 * size)),\(c(y + $0.1 * size))" }.joined(separator: " ")
            return .empty("polygon", ["class": className, "points": text])
        }
    }

    /// The `<defs>` every page holds once: the hatching of failing bars and of groups too
    /// small to judge, referenced by CSS as `url(#fl-hatch-fail)` and `url(#fl-hatch-small)`.
    static var definitions: Markup {
        .tag("svg", ["class": "fl-defs", "width": "0", "height": "0", "aria-hidden": "true", "focusable": "false"], [
            .tag("defs", [:], [
                .tag("pattern", ["id": "fl-hatch-fail", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse",
                                 "patternTransform": "rotate(45)"], [
                    .empty("rect", ["class": "hatch-fail-ground", "width": "6", "height": "6"]),
                    .empty("line", ["class": "hatch-fail-line", "x1": "0", "y1": "0", "x2": "0", "y2": "6"]),
                ]),
                .tag("pattern", ["id": "fl-hatch-small", "width": "5", "height": "5", "patternUnits": "userSpaceOnUse",
                                 "patternTransform": "rotate(-45)"], [
                    .empty("rect", ["class": "hatch-small-ground", "width": "5", "height": "5"]),
                    .empty("line", ["class": "hatch-small-line", "x1": "0", "y1": "0", "x2": "0", "y2": "5"]),
                ]),
            ]),
        ])
    }
}
