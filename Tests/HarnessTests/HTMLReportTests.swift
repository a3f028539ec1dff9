import Testing

@testable import Harness

@Suite struct HTMLReportTests {
    func log() -> LossLog {
        var log = LossLog()
        for step in 0..<4 {
            for (domain, base) in [("city", 2.0), ("bdd", 3.0)] {
                let total = base / Double(step + 1)
                log.append(LossRow(step: step, epoch: 0, domain: domain, ce: total, dc: nil, total: total, lr: 0.01))
            }
        }
        return log
    }

    @Test func lossPlotHasOneLinePerDomainAndIsDeterministic() {
        let plot = SVGPlot.losses(log(), title: "losses <multi-semi>")
        #expect(plot.lines.map(\.name) == ["city", "bdd"])
        #expect(plot.lines[1].points.map(\.y) == [3.0, 1.5, 1.0, 0.75])
        let svg = plot.svg
        #expect(svg == SVGPlot.losses(log(), title: "losses <multi-semi>").svg)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("losses &lt;multi-semi&gt;"))
        // bdd starts at the highest loss (top of the plot area, y = 32) at step 0 (x = 64).
        #expect(svg.contains("<path d=\"M64.00,32.00L"))
        #expect(svg.contains("loss (log scale)"))
    }

    @Test func nonPositiveValuesBreakLogLinesAndEmptyPlotsSaySo() {
        let plot = SVGPlot(
            title: "t", xLabel: "x", yLabel: "y",
            lines: [SVGPlot.Line(name: "a", points: [(0, 1), (1, 0), (2, 10), (3, .nan), (4, 100)])], logY: true)
        let path = plot.svg.split(separator: "\n").first { $0.contains("stroke-width=\"1.5\"") }!
        #expect(path.filter { $0 == "M" }.count == 3)  // three separate pieces
        #expect(!path.contains("L"))
        #expect(SVGPlot(title: "t", xLabel: "x", yLabel: "y", lines: []).svg.contains(">no data</text>"))
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
        #expect(HTMLReport.html(fromMarkdown: md) == """
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
            figures: [HTMLReport.Figure(caption: "losses", svg: SVGPlot.losses(log(), title: "l").svg)],
            images: [HTMLReport.Image(caption: "sample 0", path: "samples/0.png")])
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<h1>run</h1>") && page.contains("<h2>Figures</h2>"))
        #expect(page.contains("<figcaption>losses</figcaption>") && page.contains("<img src=\"samples/0.png\""))
        #expect(!page.contains("<script"))
    }
}
