import Foundation
import Harness

/// Writes a static HTML page: the Markdown report plus one loss-curve figure per run.
func writeHTMLReport(to path: String, title: String, markdown: String, runs: [CellResult]) throws {
    let figures = try runs.map { run in
        let caption = "\(run.cell.name), seed \(run.seed): loss per domain (CE + λ·DC) — \(run.folder.url.lastPathComponent)"
        return HTMLReport.Figure(caption: caption, svg: SVGPlot.losses(try run.folder.readLosses(), title: caption).svg)
    }
    let page = HTMLReport.page(title: title, markdown: markdown, figures: figures)
    do {
        try page.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        throw ConfigError("cannot write the HTML report \(path): \(error.localizedDescription)")
    }
}
