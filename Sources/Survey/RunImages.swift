import Foundation
import Results

/// The study's images from paper 2's run folders: each evaluated cell (`p2/L`, `p2/L+I`,
/// `p2/L+I+P`, named in its metrics.json) wrote `generated/<scene>.png` and the real val
/// images at the same size in `real/<scene>.png` (`RunFolder.generatedImagesURL`,
/// `realImagesURL`). One run of each variant is needed; the real images come from the L run
/// and must be the same bytes in every run (the same data at the same size).
struct RunImages {
    /// real, L, L+I, L+I+P folders.
    var folders: [String] = []
    var labels: [String] = []
    var origins: [String] = []

    /// Whether `path` is a run folder or holds run folders (not a plain image folder).
    static func holdsRuns(_ path: String) -> Bool {
        isRun(path) || !children(path).isEmpty
    }

    static func isRun(_ path: String) -> Bool {
        FileManager.default.fileExists(
            atPath: (path as NSString).appendingPathComponent(
                "manifest.json"))
    }

    /// The run folders directly inside `path`, sorted by name.
    static func children(_ path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
            .filter(isRun)
    }

    init(paths: [String]) throws {
        var byVariant: [SurveySource: [String]] = [:]  // lookup only, never iterated
        for path in paths {
            let given = Self.isRun(path)
            let runs = given ? [path] : Self.children(path)
            guard !runs.isEmpty else {
                throw SurveyError.imageFolder(
                    path,
                    "neither a run folder (manifest.json) nor a folder of run folders; an image "
                        + "folder (real/, L/, L+I/, L+I+P/) must be the only --images")
            }
            for run in runs {
                guard let source = try Self.variant(run, given: given) else { continue }
                byVariant[source, default: []].append(run)
            }
        }
        for source in SurveySource.generated {
            let runs = byVariant[source] ?? []
            guard runs.count == 1 else {
                throw SurveyError.badOption(
                    "--images",
                    runs.isEmpty
                        ? "no finished run of p2/\(source.rawValue) among \(paths.joined(separator: ", ")) "
                            + "(run it with `repro run p2/\(source.rawValue)`)"
                        : "\(runs.count) runs of p2/\(source.rawValue): "
                            + runs.joined(separator: ", ") + "; pass the run folders you mean")
            }
        }
        let runs = SurveySource.generated.map { byVariant[$0]![0] }
        for run in runs {
            for (dir, what) in [("generated", "generated images"), ("real", "real images")] {
                let d = (run as NSString).appendingPathComponent(dir)
                guard ImageSet.isFolder(d) else {
                    throw SurveyError.imageFolder(
                        run,
                        "no \(dir)/ folder of \(what) (a run folder made before they were "
                            + "written, or an unfinished run: run the cell again)")
                }
            }
        }
        let real = RunFolder(url: URL(fileURLWithPath: runs[0])).realImagesURL.path
        for other in runs.dropFirst() {
            try Self.checkSameReal(
                real,
                RunFolder(url: URL(fileURLWithPath: other)).realImagesURL
                    .path)
        }
        folders =
            [real] + runs.map { RunFolder(url: URL(fileURLWithPath: $0)).generatedImagesURL.path }
        labels = ["\(real)/"] + folders.dropFirst().map { "\($0)/" }
        origins = zip(SurveySource.allCases, folders).map { "\($0.0.rawValue): \($0.1)" }
    }

    /// The paper 2 variant run in `run`, from its metrics.json; nil for another paper's run
    /// found inside a folder of runs, an error for one given by name.
    static func variant(_ run: String, given: Bool) throws -> SurveySource? {
        let folder = RunFolder(url: URL(fileURLWithPath: run))
        guard FileManager.default.fileExists(atPath: folder.metricsURL.path) else {
            if !given { return nil }
            throw SurveyError.imageFolder(
                run, "no metrics.json: the run has not finished (finish it with `--resume`)")
        }
        let cell: String
        do {
            cell = try folder.readMetrics().cell
        } catch {
            throw SurveyError.imageFolder(run, "unreadable metrics.json (\(error))")
        }
        let prefix = "p2/"
        if cell.hasPrefix(prefix), let s = SurveySource(rawValue: String(cell.dropFirst(3))),
            s != .real
        {
            return s
        }
        if !given { return nil }
        throw SurveyError.imageFolder(
            run, "a run of \(cell), not of paper 2's L, L+I or L+I+P")
    }

    /// The real images of two runs must be the same files: else the runs saw other data.
    static func checkSameReal(_ a: String, _ b: String) throws {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: a)) ?? []).filter { $0.hasSuffix(".png") }
            .sorted()
        let other = ((try? fm.contentsOfDirectory(atPath: b)) ?? []).filter { $0.hasSuffix(".png") }
            .sorted()
        guard names == other else {
            throw SurveyError.scenesDiffer(
                "the runs' real images differ: \(a) has \(names.count) scenes, \(b) has "
                    + "\(other.count) (the runs used different data)")
        }
        for name in names
        where fm.contents(atPath: "\(a)/\(name)") != fm.contents(atPath: "\(b)/\(name)") {
            throw SurveyError.scenesDiffer(
                "the runs' real images differ: \(a)/\(name) and \(b)/\(name) are not the same "
                    + "image (the runs used different data or image sizes)")
        }
    }
}
