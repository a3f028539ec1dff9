import Foundation

/// The images of a study: `<folder>/<source>/<scene>.png` for every source in
/// `SurveySource.allCases`, with the same scenes in every source.
public struct ImageSet: Sendable {
    public let folder: String
    /// Scene names (file names without `.png`), sorted.
    public let scenes: [String]

    /// Scans and checks `folder`: every source folder present, the same scenes in each, every
    /// file a readable PNG. Errors name the folder or file at fault.
    public init(folder: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw SurveyError.imageFolder(folder, "not found or not a folder (--images)")
        }
        var perSource: [(SurveySource, [String])] = []
        for source in SurveySource.allCases {
            let dir = (folder as NSString).appendingPathComponent(source.rawValue)
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw SurveyError.imageFolder(
                    folder,
                    "missing the source folder '\(source.rawValue)' (expected "
                        + SurveySource.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            let names = try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".png") }
            perSource.append((source, names.map { String($0.dropLast(4)) }.sorted()))
        }
        let reference = perSource[0].1
        guard !reference.isEmpty else {
            throw SurveyError.imageFolder(
                folder, "no .png images in \(SurveySource.real.rawValue)/")
        }
        for (source, names) in perSource.dropFirst() where names != reference {
            let missing = Set(reference).subtracting(names).sorted().prefix(5)
            let extra = Set(names).subtracting(reference).sorted().prefix(5)
            var why = "\(source.rawValue)/ has \(names.count) scenes, real/ has \(reference.count)"
            if !missing.isEmpty {
                why += "; missing in \(source.rawValue)/: \(missing.joined(separator: ", "))"
            }
            if !extra.isEmpty { why += "; not in real/: \(extra.joined(separator: ", "))" }
            throw SurveyError.scenesDiffer(why)
        }
        self.folder = folder
        self.scenes = reference
        for source in SurveySource.allCases {
            for scene in scenes { try Self.checkPNG(path(source, scene)) }
        }
    }

    /// The file of `scene` from `source`.
    public func path(_ source: SurveySource, _ scene: String) -> String {
        "\(folder)/\(source.rawValue)/\(scene).png"
    }

    /// The bytes of one image, re-checked (it may have changed since the start).
    public func bytes(_ source: SurveySource, _ scene: String) throws -> Data {
        let p = path(source, scene)
        guard let data = FileManager.default.contents(atPath: p) else {
            throw SurveyError.badImage(p, "missing or unreadable")
        }
        try Self.checkHeader(data, p)
        return data
    }

    /// A PNG signature and an IHDR chunk with a non-zero size (no decoding: the browser does).
    static func checkPNG(_ path: String) throws {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw SurveyError.badImage(path, "missing or unreadable")
        }
        defer { try? h.close() }
        try checkHeader(h.readData(ofLength: 24), path)
    }

    static func checkHeader(_ d: Data, _ path: String) throws {
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
    }
}
