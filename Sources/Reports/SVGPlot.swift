import Foundation
import Results

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
    public static let palette = [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
    ]

    /// A chart of `lines`.
    public init(title: String, xLabel: String, yLabel: String, lines: [Line], logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.lines = lines
        self.logY = logY
    }

    /// The SVG document (640 x 360 user units, taller when the title wraps).
    public var svg: String {
        let titleLines = Self.wrap(title, width: 84)
        let titleHeight = Double(titleLines.count) * 16
        let (w, h) = (640.0, 344.0 + titleHeight)
        let (left, top, plotRight, plotBottom) = (
            64.0, 16.0 + titleHeight, 510.0, 300.0 + titleHeight
        )
        let ty: (Double) -> Double = { logY ? log10($0) : $0 }
        let drawable: ((x: Double, y: Double)) -> Bool = {
            $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0)
        }
        let points = lines.flatMap { $0.points.filter(drawable) }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 \(f(h))\" "
                + "font-family=\"sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        for (i, line) in titleLines.enumerated() {
            out.append(
                label(
                    line, x: w / 2, y: 18 + Double(i) * 16, anchor: "middle",
                    extra: " font-size=\"13\""))
        }
        guard let xMin = points.map(\.x).min(), let xMax = points.map(\.x).max(),
            let yMin = points.map({ $0.y }).min(), let yMax = points.map({ $0.y }).max()
        else {
            out.append(label("no data", x: w / 2, y: h / 2, anchor: "middle"))
            return (out + ["</svg>"]).joined(separator: "\n") + "\n"
        }
        let integerX = points.allSatisfy { $0.x == $0.x.rounded() }
        let xTicks = Self.linearTicks(xMin, xMax, integer: integerX)
        let yTicks = logY ? Self.logTicks(yMin, yMax) : Self.linearTicks(yMin, yMax, integer: false)
        // The axes span the ticks, so every tick sits on the axis and the data inside it.
        let (x0, x1) = (min(xMin, xTicks.first!), max(xMax, xTicks.last!))
        let (y0, y1) = (min(ty(yMin), ty(yTicks.first!)), max(ty(yMax), ty(yTicks.last!)))
        let xSpan = x1 > x0 ? x1 - x0 : 1
        let ySpan = y1 > y0 ? y1 - y0 : 1
        let px: (Double) -> Double = { left + ($0 - x0) / xSpan * (plotRight - left) }
        let py: (Double) -> Double = { plotBottom - (ty($0) - y0) / ySpan * (plotBottom - top) }
        out.append(
            "<path d=\"M\(f(left)),\(f(top))V\(f(plotBottom))H\(f(plotRight))\" fill=\"none\" stroke=\"#444\"/>"
        )
        for xv in xTicks {
            out.append("<path d=\"M\(f(px(xv))),\(f(plotBottom))v4\" stroke=\"#444\"/>")
            out.append(label(Self.tickLabel(xv), x: px(xv), y: plotBottom + 16, anchor: "middle"))
        }
        for yv in yTicks {
            out.append("<path d=\"M\(f(left - 4)),\(f(py(yv)))h4\" stroke=\"#444\"/>")
            out.append(label(Self.tickLabel(yv), x: left - 6, y: py(yv) + 4, anchor: "end"))
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
            out.append(
                "<path d=\"M\(f(plotRight + 10)),\(f(ly))h18\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            )
            out.append(label(line.name, x: plotRight + 32, y: ly + 4, anchor: "start"))
        }
        return (out + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// One chart per value column of `log` (except "epoch"), one line per series: losses on a
    /// log scale when they are all positive, the rest linear.
    public static func charts(_ log: LossLog, title: String) -> [SVGPlot] {
        log.columns.filter { $0 != "epoch" }.compactMap { column in
            let lines = log.seriesNames.map { name in
                Line(
                    name: name,
                    points: log.curve(column, series: name).map { (Double($0.step), $0.value) })
            }.filter { !$0.points.isEmpty }
            guard !lines.isEmpty else { return nil }
            let positive = lines.allSatisfy { $0.points.allSatisfy { $0.y > 0 } }
            let logY = positive && column != "lr" && !column.hasPrefix("lr")
            return SVGPlot(
                title: "\(title): \(column)", xLabel: "step", yLabel: column, lines: lines,
                logY: logY)
        }
    }

    /// Round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi], 3 to 7 of
    /// them; whole numbers only when `integer`.
    static func linearTicks(_ lo: Double, _ hi: Double, integer: Bool) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / 5
        let power = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        if integer { step = max(1, step.rounded(.up)) }
        let first = (lo / step).rounded(.down) * step
        let last = (hi / step).rounded(.up) * step
        return stride(from: first, through: last + step / 2, by: step).map {
            abs($0) < step * 1e-9 ? 0 : $0
        }
    }

    /// Ticks at 1, 2 and 5 times powers of ten covering [lo, hi] (lo > 0); only the powers of
    /// ten when the range spans more than two decades.
    static func logTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let l = floor(log10(lo))
        let u = ceil(log10(hi))
        let mantissas: [Double] = u - l > 2 ? [1] : [1, 2, 5]
        var ticks: [Double] = []
        var e = l
        while e <= u {
            for m in mantissas { ticks.append(m * pow(10, e)) }
            e += 1
        }
        // Keep the ticks inside the data range plus one on each side.
        let below = ticks.last { $0 <= lo } ?? ticks[0]
        let above = ticks.first { $0 >= hi } ?? ticks[ticks.count - 1]
        return ticks.filter { $0 >= below && $0 <= above }
    }

    /// A tick value with at most 3 significant digits and no trailing zeros ("0.05", "200").
    static func tickLabel(_ x: Double) -> String { Report.number(x, digits: 3) }

    /// `text` broken at spaces into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        return lines + (current.isEmpty && !lines.isEmpty ? [] : [current])
    }

    private func f(_ x: Double) -> String { String(format: "%.2f", x) }

    private func label(_ text: String, x: Double, y: Double, anchor: String, extra: String = "")
        -> String
    {
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
