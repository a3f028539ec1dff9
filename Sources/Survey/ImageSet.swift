import Foundation

/// The images of a study: for every source in `SurveySource.allCases` a folder of
/// `<scene>.png`, with the same scenes at the same size in every source.
///
/// Two layouts are read (`ImageSet.init(paths:)`): one image folder with a subfolder per
/// source (`<folder>/real/`, `L/`, `L+I/`, `L+I+P/`), or paper 2's run folders (see
/// `RunImages`), whose `generated/` folders give L, L+I and L+I+P and whose `real/` folders
/// give the real images.
public struct ImageSet: Sendable {
    /// Each source's folder, in `SurveySource.allCases` order.
    public let folders: [String]
    /// Scene names (file names without `.png`), sorted.
    public let scenes: [String]
    /// Where each source's images come from, one line per source (logged and reported).
    public let origins: [String]

    /// An image folder `<folder>/<source>/<scene>.png`.
    public init(folder: String) throws {
        try Self.requireFolder(folder)
        var dirs: [String] = []
        for source in SurveySource.allCases {
            let dir = (folder as NSString).appendingPathComponent(source.rawValue)
            guard Self.isFolder(dir) else {
                throw SurveyError.imageFolder(
                    folder,
                    "missing the source folder '\(source.rawValue)' (expected "
                        + SurveySource.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            dirs.append(dir)
        }
        try self.init(
            folders: dirs, labels: SurveySource.allCases.map { "\($0.rawValue)/" },
            origins: SurveySource.allCases.map { "\($0.rawValue): \(folder)/\($0.rawValue)/" })
    }

    /// `paths` from `--images`: one image folder, or paper 2 run folders and folders holding
    /// run folders (e.g. `results/runs`), which together must give one run of each of L, L+I
    /// and L+I+P.
    public init(paths: [String]) throws {
        guard !paths.isEmpty else {
            throw SurveyError.badOption("--images", "give an image folder or run folders")
        }
        for p in paths { try Self.requireFolder(p) }
        if paths.count == 1, !RunImages.holdsRuns(paths[0]) {
            try self.init(folder: paths[0])
            return
        }
        let runs = try RunImages(paths: paths)
        try self.init(folders: runs.folders, labels: runs.labels, origins: runs.origins)
    }

    /// Checks that every folder holds the same scenes, each a PNG of one size in all sources.
    init(folders: [String], labels: [String], origins: [String]) throws {
        var perSource: [[String]] = []
        for dir in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            perSource.append(
                names.filter { $0.hasSuffix(".png") }.map { String($0.dropLast(4)) }
                    .sorted())
        }
        let reference = perSource[0]
        guard !reference.isEmpty else {
            throw SurveyError.imageFolder(folders[0], "no .png images in \(labels[0])")
        }
        for (k, names) in perSource.enumerated().dropFirst() where names != reference {
            let missing = Set(reference).subtracting(names).sorted().prefix(5)
            let extra = Set(names).subtracting(reference).sorted().prefix(5)
            var why = "\(labels[k]) has \(names.count) scenes, \(labels[0]) has \(reference.count)"
            if !missing.isEmpty {
                why += "; missing in \(labels[k]): \(missing.joined(separator: ", "))"
            }
            if !extra.isEmpty { why += "; not in \(labels[0]): \(extra.joined(separator: ", "))" }
            throw SurveyError.scenesDiffer(why)
        }
        self.folders = folders
        self.scenes = reference
        self.origins = origins
        for scene in scenes {
            let sizes = try SurveySource.allCases.map { try Self.checkPNG(path($0, scene)) }
            guard Set(sizes.map { "\($0.0)x\($0.1)" }).count == 1 else {
                let list = zip(SurveySource.allCases, sizes).map {
                    "\($0.0.rawValue) \($0.1.0)x\($0.1.1)"
                }
                throw SurveyError.scenesDiffer(
                    "scene \(scene) has different sizes: " + list.joined(separator: ", "))
            }
        }
    }

    /// The file of `scene` from `source`.
    public func path(_ source: SurveySource, _ scene: String) -> String {
        "\(folders[source.index])/\(scene).png"
    }

    /// The bytes of one image, re-checked (it may have changed since the start).
    public func bytes(_ source: SurveySource, _ scene: String) throws -> Data {
        let p = path(source, scene)
        guard let data = FileManager.default.contents(atPath: p) else {
            throw SurveyError.badImage(p, "missing or unreadable")
        }
        _ = try Self.checkHeader(data, p)
        return data
    }

    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func requireFolder(_ path: String) throws {
        guard isFolder(path) else {
            throw SurveyError.imageFolder(path, "not found or not a folder (--images)")
        }
    }

    /// The PNG's width and height, after checking its signature and IHDR chunk (no decoding:
    /// the browser does that).
    static func checkPNG(_ path: String) throws -> (Int, Int) {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw SurveyError.badImage(path, "missing or unreadable")
        }
        defer { try? h.close() }
        return try checkHeader(h.readData(ofLength: 24), path)
    }

    static func checkHeader(_ d: Data, _ path: String) throws -> (Int, Int) {
        let b = [UInt8](d.prefix(24))
        guard b.count == 24, b[0..<8].elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else {
            throw SurveyError.badImage(path, "not a PNG file (bad signature)")
        }
        guard String(decoding: b[12..<16], as: UTF8.self) == "IHDR" else {
            throw SurveyError.badImage(path, "damaged PNG (no IHDR chunk)")
        }
        let w = b[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let hgt = b[20..<24].reduce(0) { $0 << 8 | Int($1) }
        guard w > 0, hgt > 0 else { throw SurveyError.badImage(path, "PNG of size \(w)x\(hgt)") }
        return (w, hgt)
    }
}
