import Foundation

/// A line chart as a standalone SVG document, for loss curves in HTML reports.
///
/// Output depends only on the data (fixed size, fixed palette, coordinates with 2 decimals),
/// so identical runs give identical files. No scripts, no external fonts.
public struct SVGPlot: Sendable {
    /// One named line.
    public struct Line: Sendable, Equatable {
        /// Legend label.
        public var name: String
        /// (x, y) points in drawing order; non-finite y values break the line.
        public var points: [(x: Double, y: Double)]

        /// A line named `name` through `points`.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }

        public static func == (a: Line, b: Line) -> Bool {
            a.name == b.name && a.points.count == b.points.count
                && zip(a.points, b.points).allSatisfy { $0.x == $1.x && $0.y == $1.y }
        }
    }

    /// Chart title.
    public var title: String
    /// Label of the x axis.
    public var xLabel: String
    /// Label of the y axis.
    public var yLabel: String
    /// The lines, drawn in order with the palette's colours.
    public var lines: [Line]
    /// Plot y on a log10 scale (only positive values are drawn).
    public var logY: Bool

    /// Colour-blind-safe palette (Okabe-Ito), used in order.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// A chart of `lines`.
    public init(title: String, xLabel: String, yLabel: String, lines: [Line], logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.lines = lines
        self.logY = logY
    }

    /// The SVG document (640 x 360 user units).
    public var svg: String {
        let (w, h) = (640.0, 360.0)
        let (left, top, plotRight, plotBottom) = (64.0, 32.0, 510.0, 316.0)
        let ty: (Double) -> Double = { logY ? log10($0) : $0 }
        let drawable: ((x: Double, y: Double)) -> Bool = { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        let points = lines.flatMap { $0.points.filter(drawable) }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\" font-family=\"sans-serif\" "
                + "font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            label(title, x: w / 2, y: 18, anchor: "middle", extra: " font-size=\"13\""),
        ]
        guard let x0 = points.map(\.x).min(), let x1 = points.map(\.x).max(),
            let y0 = points.map({ ty($0.y) }).min(), let y1 = points.map({ ty($0.y) }).max()
        else {
            out.append(label("no data", x: w / 2, y: h / 2, anchor: "middle"))
            return (out + ["</svg>"]).joined(separator: "\n") + "\n"
        }
        let xSpan = x1 > x0 ? x1 - x0 : 1
        let ySpan = y1 > y0 ? y1 - y0 : 1
        let px: (Double) -> Double = { left + ($0 - x0) / xSpan * (plotRight - left) }
        let py: (Double) -> Double = { plotBottom - (ty($0) - y0) / ySpan * (plotBottom - top) }
        out.append("<path d=\"M\(f(left)),\(f(top))V\(f(plotBottom))H\(f(plotRight))\" fill=\"none\" stroke=\"#444\"/>")
        // Axis ticks at both ends and the middle of each range.
        for t in 0...2 {
            let xv = x0 + xSpan * Double(t) / 2
            out.append(label(Report.number(xv, digits: 4), x: px(xv), y: plotBottom + 14, anchor: "middle"))
            let yt = y0 + ySpan * Double(t) / 2
            let yv = logY ? pow(10, yt) : yt
            out.append(label(Report.number(yv, digits: 3), x: left - 4, y: py(yv) + 4, anchor: "end"))
        }
        out.append(label(xLabel, x: (left + plotRight) / 2, y: h - 8, anchor: "middle"))
        out.append(
            "<text transform=\"translate(14,\(f((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">"
                + escape(yLabel + (logY ? " (log scale)" : "")) + "</text>")
        for (i, line) in lines.enumerated() {
            let colour = Self.palette[i % Self.palette.count]
            var d = ""
            var penDown = false
            for p in line.points {
                guard drawable(p) else {
                    penDown = false
                    continue
                }
                d += "\(penDown ? "L" : "M")\(f(px(p.x))),\(f(py(p.y)))"
                penDown = true
            }
            out.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>")
            let ly = top + 8 + Double(i) * 16
            out.append("<path d=\"M\(f(plotRight + 10)),\(f(ly))h18\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
            out.append(label(line.name, x: plotRight + 32, y: ly + 4, anchor: "start"))
        }
        return (out + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// The losses of `log` against step, one line per domain (in order of first appearance).
    public static func losses(
        _ log: LossLog, title: String, value: KeyPath<LossRow, Double> = \.total, logY: Bool = true
    ) -> SVGPlot {
        var order: [String] = []
        var points: [String: [(x: Double, y: Double)]] = [:]
        for row in log.rows {
            if points[row.domain] == nil { order.append(row.domain) }
            points[row.domain, default: []].append((Double(row.step), row[keyPath: value]))
        }
        return SVGPlot(
            title: title, xLabel: "step", yLabel: "loss",
            lines: order.map { Line(name: $0, points: points[$0]!) }, logY: logY)
    }

    private func f(_ x: Double) -> String { String(format: "%.2f", x) }

    private func label(_ text: String, x: Double, y: Double, anchor: String, extra: String = "") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(extra)>\(escape(text))</text>"
    }
}

/// `text` with the five XML special characters escaped.
func escape(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
