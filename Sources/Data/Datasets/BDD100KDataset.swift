import ImageCodecs

/// BDD100K semantic segmentation in its own layout: `images/10k/{split}/{name}.jpg` and
/// `labels/sem_seg/masks/{split}/{name}.png` (single-channel train ids 0...18, 255 = ignore).
/// The loader also accepts `{name}.png` images (what the synthetic writer produces).
public struct BDD100KDataset: SegmentationDataset {
    public let root: String
    public let split: String
    public let names: [String]
    private let imageFiles: [String]

    /// Indexes `root/images/10k/split`; every image needs its mask.
    public init(root: String, split: String) throws {
        self.root = root
        self.split = split
        let dir = Files.join(root, "images", "10k", split)
        var names: [String] = [], files: [String] = []
        for file in try Files.list(dir, expected: "{name}.jpg images") {
            guard let dot = file.lastIndex(of: "."),
                [".jpg", ".jpeg", ".png"].contains(String(file[dot...]))
            else { continue }
            let name = String(file[..<dot])
            let mask = Self.maskPath(root: root, split: split, name: name)
            guard Files.exists(mask) else {
                throw DatasetError(
                    mask,
                    "missing mask for image \(Files.join(dir, file)); expected labels/sem_seg/masks/\(split)/\(name).png"
                )
            }
            names.append(name)
            files.append(file)
        }
        guard !names.isEmpty else { throw DatasetError(dir, "no .jpg or .png images found") }
        self.names = names
        self.imageFiles = files
    }

    public func load(_ index: Int) throws -> LabeledImage {
        let image = try Files.readImage(Files.join(root, "images", "10k", split, imageFiles[index]))
        let maskPath = Self.maskPath(root: root, split: split, name: names[index])
        let mask = try Files.readMap8(
            maskPath, width: image.width, height: image.height, what: "train-id mask")
        if let i = mask.values.firstIndex(where: {
            $0 >= Cityscapes.trainClassCount && $0 != Cityscapes.ignoreTrainId
        }) {
            throw DatasetError(
                maskPath,
                "unknown train id \(mask.values[i]) at (x \(i % mask.width), y \(i / mask.width)); expected 0...18 or 255"
            )
        }
        return LabeledImage(name: names[index], image: image, trainIds: mask, instanceIds: nil)
    }

    public static func imagePath(root: String, split: String, name: String, ext: String = "png")
        -> String
    {
        Files.join(root, "images", "10k", split, "\(name).\(ext)")
    }

    public static func maskPath(root: String, split: String, name: String) -> String {
        Files.join(root, "labels", "sem_seg", "masks", split, "\(name).png")
    }

    /// Writes a scene as image `name` of `split` (PNG image; train-id mask).
    public static func write(_ scene: SyntheticScene, root: String, split: String, name: String)
        throws
    {
        try Files.makeDirectory(Files.join(root, "images", "10k", split))
        try Files.makeDirectory(Files.join(root, "labels", "sem_seg", "masks", split))
        let (w, h) = (scene.image.width, scene.image.height)
        try PNG.write(
            rgb8: scene.image.pixels, width: w, height: h,
            to: imagePath(root: root, split: split, name: name))
        try PNG.write(
            gray8: scene.trainIds.values, width: w, height: h,
            to: maskPath(root: root, split: split, name: name))
    }
}
