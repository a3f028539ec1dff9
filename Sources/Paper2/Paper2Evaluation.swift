import Data
import Foundation
import ImageCodecs
import Results
import SynthesisMetrics
import Tensors

/// The evaluation of a trained paper 2 cell: every val scene generated (eval mode, a fixed
/// noise seed per image) and written as PNG beside the real val image at the same size
/// (`generated/` and `real/`, what the naturalness study serves), MICV of car and person over
/// the generated and over the real val images, and the picture sheet (label map | real |
/// generated).
enum Paper2Evaluation {
    /// The seed of the val noise: image `name` uses `RandomSource(seed: noiseSeed).split(name)`
    /// in every cell and run, so cells are compared on the same noise.
    static let noiseSeed: UInt64 = 2024

    /// The MICV scale of the paper's Table 1 ("x1e5").
    static let micvScale = 1e5

    struct Result {
        var metrics: [String: Double]
        var series: [String: [Double]]
    }

    /// One val scene at the configuration's size (no flip), as the sheet and MICV see it.
    struct Scene {
        var name: String
        var labels: LabelMap
        var instances: InstanceMap
        var real: RGBImage
    }

    /// The val scenes of `data` (the first `data.valCount`).
    static func scenes(_ data: Paper2Data, config: Paper2RunConfig) throws -> [Scene] {
        try (0..<data.valCount).map { i in
            let s = try Paper2Data.sample(data.val, i, config: config, flip: false)
            return Scene(
                name: s.sample.name, labels: s.labels, instances: s.instances, real: s.image)
        }
    }

    static func run(
        _ trainer: SPADETrainer, data: Paper2Data, config: Paper2RunConfig, folder: RunFolder
    ) throws -> Result {
        let scenes = try scenes(data, config: config)
        let directory = folder.generatedImagesURL
        for d in [directory, folder.realImagesURL] {
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        }
        var generated: [RGBImage] = []
        var paths: [String] = []
        for scene in scenes {
            let input = try config.spade.makeInput(
                labels: [scene.labels], instances: [scene.instances],
                labelSources: [scene.name], instanceSources: [scene.name])
            var noise = RandomSource(seed: noiseSeed).split(scene.name)
            let image = SPADEImages.rgb(trainer.generate(input, random: &noise))[0]
            let path = directory.appendingPathComponent("\(scene.name).png").path
            try PNG.write(rgb8: image.pixels, width: image.width, height: image.height, to: path)
            let real = folder.realImagesURL.appendingPathComponent("\(scene.name).png").path
            try PNG.write(
                rgb8: scene.real.pixels, width: scene.real.width, height: scene.real.height,
                to: real)
            generated.append(image)
            paths.append(path)
        }
        let maps = scenes.map(\.instances)
        var metrics: [String: Double] = [:]
        var series: [String: [Double]] = [:]
        for (prefix, images, names) in [
            ("", generated, paths), ("real_", scenes.map(\.real), scenes.map(\.name)),
        ] {
            let results = try MICV.compute(images: images, instances: maps, names: names)
            for r in results {
                let metric = "\(prefix)micv_\(r.className)"
                metrics["\(metric)_images/city"] = Double(r.imageCount)
                metrics["\(metric)_instances/city"] = Double(r.instanceCount)
                guard r.micv.isFinite else { continue }  // no image with 2 instances
                metrics["\(metric)/city"] = r.micv * micvScale
                metrics["\(metric)_plain/city"] = r.micv
            }
        }
        let rows = scenes.prefix(config.sheetRows).enumerated().map { i, scene in
            [Colorize.labelIds(scene.labels), scene.real, generated[i]]
        }
        let sheet = Paper2Sheet.compose(rows)
        try PNG.write(
            rgb8: sheet.pixels, width: sheet.width, height: sheet.height,
            to: folder.url.appendingPathComponent("sheet.png").path)
        series["generated_mean_rgb"] = generated.map { img in
            Double(img.pixels.reduce(0) { $0 + Int($1) }) / Double(max(img.pixels.count, 1))
        }
        return Result(metrics: metrics, series: series)
    }
}
