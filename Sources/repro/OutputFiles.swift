import ArgumentParser
import Foundation
import Harness

/// Writes a static HTML page: the Markdown report plus one loss-curve figure per run.
func writeHTMLReport(to path: String, title: String, markdown: String, runs: [CellResult]) throws {
    let figures = try runs.map { run in
        let caption = "\(run.cell.name), seed \(run.seed): loss per domain (CE + λ·DC) — \(run.folder.url.lastPathComponent)"
        return HTMLReport.Figure(caption: caption, svg: SVGPlot.losses(try run.folder.readLosses(), title: caption).svg)
    }
    try writeOutput(Data(HTMLReport.page(title: title, markdown: markdown, figures: figures).utf8), to: path)
}

/// Writes a report file named on the command line; failure is an error naming the file.
func writeOutput(_ data: Data, to path: String) throws {
    do { try data.write(to: URL(fileURLWithPath: path)) } catch {
        throw ValidationError("cannot write \(path): \(error.localizedDescription)")
    }
}
