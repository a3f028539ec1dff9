import Data
import FileIO
import Foundation
import ImageCodecs
import Paper1
import Results
import SynthesisMetrics
import Tensors

/// The evaluation of a trained paper 2 cell: every val scene generated (eval mode, a fixed
/// noise seed per image) and written as PNG beside the real val image at the same size
/// (`generated/` and `real/`, what the naturalness study serves); MICV of car and person over
/// the generated and over the real val images; FID between the real and the generated val
/// images; the proxy segmenter's mIoU on the generated images and on the real ones (the
/// ceiling); the picture sheet (label map | real | generated); `evaluators.json` (the
/// networks' identities).
enum Paper2Evaluation {
    /// The seed of the val noise: image `name` uses `RandomSource(seed: noiseSeed).split(name)`
    /// in every cell and run, so cells are compared on the same noise.
    static let noiseSeed: UInt64 = 2024

    /// The scale of the reported MICV (`micv_<class>/city`): the population std in [0, 1] x 100,
    /// i.e. in percent of the pixel range. The paper prints "x1e5", but under spade.md §9.2's
    /// definition its 3.76-6.06 fit x100 (std 0.038-0.061, 10-16 levels of 255; §9.1 item 4),
    /// while x1e5 would mean a std of 2/255, implausibly small for distinct cars. The plain
    /// value, the literal x1e5 and the §9.1 variants are logged beside it (`MICVVariants`);
    /// ratios between cells are scale-free and are compared in the report.
    static let micvScale = 100.0

    struct Result {
        var metrics: [String: Double]
        var series: [String: [Double]]
    }

    /// One val scene at the configuration's size (no flip; its fixed crop when the configuration
    /// crops), as the sheet and MICV see it.
    struct Scene {
        var name: String
        var labels: LabelMap
        var instances: InstanceMap
        var real: RGBImage
    }

    /// The val scenes of `data` (the first `data.valCount`).
    static func scenes(_ data: Paper2Data, config: Paper2RunConfig) throws -> [Scene] {
        try (0..<data.valCount).map { i in
            let view = Paper2Data.View.validation(
                data.val.names[i], sceneSeed: config.sceneSeed)
            let s = try Paper2Data.sample(data.val, i, config: config, view: view)
            return Scene(
                name: s.sample.name, labels: s.labels, instances: s.instances, real: s.image)
        }
    }

    static func run(
        _ trainer: SPADETrainer, data: Paper2Data, config: Paper2RunConfig, folder: RunFolder,
        evaluators: Paper2Evaluators
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
                for (name, value) in MICVVariants.metrics(r, scale: micvScale) {
                    metrics["\(metric)\(name)/city"] = value
                }
            }
        }
        let (fid, real, fake) = try judge(
            generated: generated, paths: paths, scenes: scenes, folder: folder,
            evaluators: evaluators)
        metrics["fid/city"] = fid.value
        metrics["miou/city"] = fake.meanIoU
        metrics["real_miou/city"] = real.meanIoU
        metrics["miou_pixel_accuracy/city"] = fake.pixelAccuracy
        metrics["real_miou_pixel_accuracy/city"] = real.pixelAccuracy
        series["iou/city"] = fake.iou
        series["real_iou/city"] = real.iou
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

    /// FID (real val against generated) and the segmenter's confusion matrices on the real and
    /// the generated val images; writes `evaluators.json` with the identities and scores.
    static func judge(
        generated: [RGBImage], paths: [String], scenes: [Scene], folder: RunFolder,
        evaluators: Paper2Evaluators
    ) throws -> (FIDScore, real: ConfusionMatrix, generated: ConfusionMatrix) {
        let fid = try FID.score(
            real: ImageSet(name: "real val images", images: scenes.map(\.real)),
            generated: ImageSet(name: "\(folder.url.path)/generated", images: generated),
            extractor: evaluators.fid, batchSize: 8)
        let labels = scenes.map(\.labels)
        let real = try evaluators.confusion(
            images: scenes.map(\.real), labelIds: labels, names: scenes.map(\.name))
        let fake = try evaluators.confusion(images: generated, labelIds: labels, names: paths)
        let record = EvaluatorsRecord(
            fid: fid.extractor, fidText: fid.description, segmenter: evaluators.segmenterIdentity,
            segmenterFolder: evaluators.folder.path,
            segmenterOwnValMIoU: evaluators.segmenterValMIoU, miou: fake.meanIoU,
            realMIoU: real.meanIoU)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(
            try encoder.encode(record),
            to: folder.url.appendingPathComponent("evaluators.json").path)
        return (fid, real, fake)
    }
}

/// `evaluators.json` of a paper 2 run: what judged its images, and the scores.
struct EvaluatorsRecord: Codable {
    var fid: ExtractorIdentity
    var fidText: String
    var segmenter: ExtractorIdentity
    var segmenterFolder: String
    var segmenterOwnValMIoU: Double
    var miou: Double
    var realMIoU: Double
}
