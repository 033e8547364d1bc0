/// A histogram with bins of any width: each bin a bar from its lower to its upper edge,
/// its height the bin's rows per unit of score (a density), so that narrow and wide
/// bins compare fairly — a group's scores cut at its own deciles hold about a tenth of
/// its rows in every bin, and a tall bar is where its scores crowd.
struct HistogramChart {
    struct Bin: Sendable, Equatable {
        var lower: Double
        var upper: Double
        var count: Int
    }

    var title: String
    var description: String
    var axisTitle: String
    var bins: [Bin]
    var domain: ClosedRange<Double>
    /// The same y scale across small multiples, when given.
    var densityLimit: Double?

    static let left = 56.0, right = 16.0, top = 12.0, bottom = 40.0, plotHeight = 90.0
    static let width = 320.0
    var height: Double { Self.top + Self.plotHeight + Self.bottom }

    /// Rows per unit of score of each bin (0 for a bin of no width).
    var densities: [Double] {
        let total = Double(max(1, bins.reduce(0) { $0 + $1.count }))
        return bins.map { $0.upper > $0.lower ? Double($0.count) / total / ($0.upper - $0.lower) : 0 }
    }

    var xScale: LinearScale { LinearScale(domain: domain, range: Self.left...(Self.width - Self.right)) }
    var yScale: LinearScale {
        LinearScale(domain: 0...max(densityLimit ?? densities.max() ?? 1, 1e-9), range: Self.top...(Self.top + Self.plotHeight),
                    flipped: true)
    }

    var svg: Markup {
        let c = ChartNumber.coordinate
        let x = xScale, y = yScale
        var parts: [Markup] = [ChartFrame.xAxis(x, y: Self.top + Self.plotHeight, top: Self.top, title: axisTitle)]
        for (bin, density) in zip(bins, densities) {
            let left = x(bin.lower), right = x(bin.upper), topY = y(density)
            parts.append(.tag("g", ["class": "row", "tabindex": "0"], [
                .tag("title", text: "\(ChartNumber.label(bin.lower)) to \(ChartNumber.label(bin.upper)): \(bin.count) rows"),
                .empty("rect", ["class": "bin", "x": c(left), "y": c(topY), "width": c(max(right - left, 0.5)),
                                "height": c(Self.top + Self.plotHeight - topY)]),
            ]))
        }
        let width = c(Self.width)
        return .tag("svg", ["class": "chart histogram-chart", "viewBox": "0 0 \(width) \(c(height))", "width": width,
                            "height": c(height), "role": "img", "xmlns": "http://www.w3.org/2000/svg"],
                    [.tag("title", text: title), .tag("desc", text: description)] + parts)
    }
}
