import Foundation

/// A static, self-contained HTML page from a `Report` Markdown text plus figures (inline SVG)
/// and images (relative paths, e.g. sample PNGs in the run folder). No scripts, no network.
public enum HTMLReport {
    /// A chart embedded in the page.
    public struct Figure: Sendable {
        /// Caption under the chart.
        public var caption: String
        /// A standalone SVG document (e.g. `SVGPlot.svg`).
        public var svg: String

        /// A figure showing `svg` with `caption`.
        public init(caption: String, svg: String) {
            self.caption = caption
            self.svg = svg
        }
    }

    /// An image file referenced by the page.
    public struct Image: Sendable {
        /// Caption under the image.
        public var caption: String
        /// Path relative to the HTML file.
        public var path: String

        /// An image at `path` with `caption`.
        public init(caption: String, path: String) {
            self.caption = caption
            self.path = path
        }
    }

    /// The page: `markdown` rendered, then `sections` (HTML the harness made, such as the
    /// naturalness study's `<section>`, inserted as they are), then a "Figures" section with
    /// `figures` and `images`.
    public static func page(
        title: String, markdown: String, sections: [String] = [], figures: [Figure] = [],
        images: [Image] = []
    ) -> String {
        var body = [html(fromMarkdown: markdown)] + sections
        if !figures.isEmpty || !images.isEmpty {
            body.append("<h2>Figures</h2>")
            for f in figures {
                body.append(
                    "<figure>\n\(f.svg)<figcaption>\(escape(f.caption))</figcaption>\n</figure>")
            }
            for i in images {
                body.append(
                    "<figure><img src=\"\(escape(i.path))\" alt=\"\(escape(i.caption))\">"
                        + "<figcaption>\(escape(i.caption))</figcaption></figure>")
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            body { font-family: sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }
            th { background: #f3f3f3; }
            caption { font-weight: bold; text-align: left; padding: 0.25em 0; }
            code { background: #f3f3f3; padding: 0 0.2em; }
            figure { display: inline-block; margin: 0.5em; }
            figure svg { width: 640px; max-width: 100%; }
            img { image-rendering: pixelated; max-width: 512px; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// HTML for the Markdown subset `Report` writes: "#"/"##"/"###" headings, pipe tables
    /// (first row = header, second = rule), paragraphs, `**bold**` and `` `code` ``.
    public static func html(fromMarkdown markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var table: [[String]] = []
        func flush() {
            if !paragraph.isEmpty {
                out.append("<p>\(inline(paragraph.joined(separator: " ")))</p>")
            }
            if !table.isEmpty { out.append(tableHTML(table)) }
            paragraph = []
            table = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        {
            if line.hasPrefix("|") {
                if !paragraph.isEmpty { flush() }
                table.append(cells(line))
                continue
            }
            if !table.isEmpty { flush() }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
            } else if let level = (1...3).first(where: {
                line.hasPrefix(String(repeating: "#", count: $0) + " ")
            }) {
                flush()
                out.append("<h\(level)>\(inline(String(line.dropFirst(level + 1))))</h\(level)>")
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// The cells of a pipe-table line, with "\|" unescaped.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var chars = line.trimmingCharacters(in: .whitespaces).dropFirst()[...]
        while let c = chars.popFirst() {
            if c == "\\", chars.first == "|" {
                current.append(chars.removeFirst())
            } else if c == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        return cells
    }

    private static func tableHTML(_ rows: [[String]]) -> String {
        var out = ["<table>"]
        for (i, row) in rows.enumerated() where i != 1 {
            let tag = i == 0 ? "th" : "td"
            out.append("<tr>" + row.map { "<\(tag)>\(inline($0))</\(tag)>" }.joined() + "</tr>")
        }
        out.append("</table>")
        return out.joined(separator: "\n")
    }

    /// Escapes `text`, then turns `**x**` into <strong> and `` `x` `` into <code>.
    static func inline(_ text: String) -> String {
        var result = escape(text)
        for (mark, tag) in [("**", "strong"), ("`", "code")] {
            var parts = result.components(separatedBy: mark)
            guard parts.count >= 3 else { continue }
            var rebuilt = parts.removeFirst()
            var open = true
            while !parts.isEmpty {
                let next = parts.removeFirst()
                if open && parts.isEmpty {
                    rebuilt += mark + next  // unmatched mark stays as text
                } else {
                    rebuilt += (open ? "<\(tag)>" : "</\(tag)>") + next
                    open.toggle()
                }
            }
            result = rebuilt
        }
        return result
    }
}
