import Testing

@testable import Reports
import Results

@Suite struct HTMLReportTests {
    func log() -> LossLog {
        var log = LossLog(seriesColumn: "domain", columns: ["epoch", "ce", "dc", "total", "lr"])
        for step in 0..<4 {
            for (domain, base) in [("city", 2.0), ("bdd", 3.0)] {
                let total = base / Double(step + 1)
                log.append(
                    LossRow(step: step, series: domain, values: [0, total, nil, total, 0.01]))
            }
        }
        return log
    }

    @Test func oneChartPerColumnOneLinePerSeriesDeterministic() {
        let charts = SVGPlot.charts(log(), title: "losses <multi-semi>")
        // epoch is not plotted; dc has no values.
        #expect(charts.map(\.yLabel) == ["ce", "total", "lr"])
        let plot = charts[1]
        #expect(plot.lines.map(\.name) == ["city", "bdd"])
        #expect(plot.lines[1].points.map(\.y) == [3.0, 1.5, 1.0, 0.75])
        #expect(plot.logY && !charts[2].logY)
        let svg = plot.svg
        #expect(svg == SVGPlot.charts(log(), title: "losses <multi-semi>")[1].svg)
        #expect(
            svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("losses &lt;multi-semi&gt;: total"))
        #expect(svg.contains("total (log scale)"))
    }

    @Test func ticksAreRoundNumbers() {
        // Integer steps get whole-number ticks (no 19.5), linear values 1-2-5 steps.
        #expect(SVGPlot.linearTicks(0, 39, integer: true) == [0, 10, 20, 30, 40])
        #expect(SVGPlot.linearTicks(0, 3, integer: true) == [0, 1, 2, 3])
        #expect(
            SVGPlot.linearTicks(0.0012, 0.0098, integer: false).map { SVGPlot.tickLabel($0) }
                == ["0", "0.002", "0.004", "0.006", "0.008", "0.01"])
        // Log ticks at 1, 2, 5 x 10^k (no 1.88, 2.64, 3.71).
        #expect(SVGPlot.logTicks(1.88, 3.71) == [1, 2, 5])
        #expect(SVGPlot.logTicks(0.3, 4) == [0.2, 0.5, 1, 2, 5])
        #expect(SVGPlot.logTicks(0.3, 40) == [0.1, 1, 10, 100])
        #expect(SVGPlot.logTicks(0.001, 500) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
    }

    @Test func longTitlesWrapInsteadOfBeingClipped() {
        let title = String(repeating: "word ", count: 40)
        let svg = SVGPlot(title: title, xLabel: "x", yLabel: "y", lines: []).svg
        let titleLines = svg.split(separator: "\n").filter { $0.contains("font-size=\"13\"") }
        #expect(titleLines.count == 3)
        #expect(titleLines.allSatisfy { $0.count < 84 + 100 })
    }

    @Test func nonPositiveValuesBreakLogLinesAndEmptyPlotsSaySo() {
        let plot = SVGPlot(
            title: "t", xLabel: "x", yLabel: "y",
            lines: [
                SVGPlot.Line(name: "a", points: [(0, 1), (1, 0), (2, 10), (3, .nan), (4, 100)])
            ], logY: true)
        let path = plot.svg.split(separator: "\n").first { $0.contains("stroke-width=\"1.5\"") }!
        #expect(path.filter { $0 == "M" }.count == 3)  // three separate pieces
        #expect(!path.contains("L"))
        #expect(
            SVGPlot(title: "t", xLabel: "x", yLabel: "y", lines: []).svg.contains(">no data</text>")
        )
    }

    @Test func markdownSubsetToHTML() {
        let md = """
            # verify smoke

            **Summary:** goldens 1/1 pass.

            | cell | note |
            |---|---|
            | a\\|b | `x` **fail** |
            text after
            """
        #expect(
            HTMLReport.html(fromMarkdown: md) == """
                <h1>verify smoke</h1>
                <p><strong>Summary:</strong> goldens 1/1 pass.</p>
                <table>
                <tr><th>cell</th><th>note</th></tr>
                <tr><td>a|b</td><td><code>x</code> <strong>fail</strong></td></tr>
                </table>
                <p>text after</p>
                """)
        #expect(HTMLReport.inline("2 ** 3 < 9") == "2 ** 3 &lt; 9")
    }

    @Test func pageEmbedsFiguresAndImages() {
        let page = HTMLReport.page(
            title: "run", markdown: "# run",
            figures: [
                HTMLReport.Figure(caption: "losses", svg: SVGPlot.charts(log(), title: "l")[0].svg)
            ],
            images: [HTMLReport.Image(caption: "sample 0", path: "samples/0.png")])
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<h1>run</h1>") && page.contains("<h2>Figures</h2>"))
        #expect(
            page.contains("<figcaption>losses</figcaption>")
                && page.contains("<img src=\"samples/0.png\""))
        #expect(!page.contains("<script"))
    }

    @Test func sectionsComeAfterTheReportAndBeforeTheFigures() {
        let page = HTMLReport.page(
            title: "run", markdown: "# run",
            sections: ["<section id=\"survey\"><h2>Study</h2></section>"],
            figures: [
                HTMLReport.Figure(caption: "losses", svg: SVGPlot.charts(log(), title: "l")[0].svg)
            ])
        let report = page.range(of: "<h1>run</h1>")!.lowerBound
        let section = page.range(of: "<section id=\"survey\">")!.lowerBound
        let figures = page.range(of: "<h2>Figures</h2>")!.lowerBound
        #expect(report < section && section < figures)
    }
}
