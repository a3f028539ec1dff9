import Data
import Foundation
import ImageCodecs
import Results

/// Picture sheets of paper 2 (like the paper's Figure 7): one row per val scene.
public enum Paper2Sheet {
    /// Rows of equally sized images side by side, `gap` white pixels between cells.
    public static func compose(_ rows: [[RGBImage]], gap: Int = 2) -> RGBImage {
        precondition(!rows.isEmpty && !rows[0].isEmpty, "Paper2Sheet.compose: no images")
        let (h, w) = (rows[0][0].height, rows[0][0].width)
        let columns = rows.map(\.count).max()!
        let width = columns * w + (columns - 1) * gap
        let height = rows.count * h + (rows.count - 1) * gap
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for (r, row) in rows.enumerated() {
            for (c, image) in row.enumerated() {
                precondition(image.width == w && image.height == h, "Paper2Sheet: sizes differ")
                for y in 0..<h {
                    let dst = ((r * (h + gap) + y) * width + c * (w + gap)) * 3
                    let src = y * w * 3
                    pixels.replaceSubrange(
                        dst..<(dst + w * 3), with: image.pixels[src..<(src + w * 3)])
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The comparison sheet across cells: label map | real | one generated column per run
    /// folder (e.g. L, L+I, L+I+P of one seed), for the first `rows` val scenes of `data`.
    /// Reads each folder's `generated/<name>.png`; a missing picture is an error naming it.
    public static func comparison(
        data: Paper2Data, config: Paper2RunConfig, folders: [RunFolder], rows: Int
    ) throws -> RGBImage {
        let scenes = try Paper2Evaluation.scenes(data, config: config).prefix(rows)
        let table = try scenes.map { scene in
            try [Colorize.labelIds(scene.labels), scene.real]
                + folders.map { folder in
                    let path = folder.generatedImagesURL.appendingPathComponent("\(scene.name).png")
                        .path
                    let png = try PNG.read(path, layout: .rgb8, what: "generated image")
                    return RGBImage(width: png.width, height: png.height, pixels: png.samples8)
                }
        }
        return compose(Array(table))
    }
}
