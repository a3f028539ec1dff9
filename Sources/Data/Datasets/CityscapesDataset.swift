import ImageCodecs

/// Cityscapes in its own layout (cityscapesScripts):
/// `leftImg8bit/{split}/{city}/{city}_{seq:06}_{frame:06}_leftImg8bit.png`,
/// `gtFine/{split}/{city}/{city}_{seq:06}_{frame:06}_gtFine_labelIds.png` (8-bit label ids) and
/// `..._gtFine_instanceIds.png` (16-bit, `labelId * 1000 + k` for instance classes).
public struct CityscapesDataset: SegmentationDataset {
    public let root: String
    public let split: String
    public let names: [String]
    private let cities: [String]

    /// Indexes `root/leftImg8bit/split`; every image needs its `_gtFine_labelIds.png`.
    public init(root: String, split: String) throws {
        self.root = root
        self.split = split
        let images = Files.join(root, "leftImg8bit", split)
        var names: [String] = [], cities: [String] = []
        for city in try Files.list(
            images, expected: "one folder per city holding *_leftImg8bit.png")
        {
            let dir = Files.join(images, city)
            guard Files.isDirectory(dir) else { continue }
            for file in try Files.list(dir, expected: "*_leftImg8bit.png")
            where file.hasSuffix("_leftImg8bit.png") {
                let name = String(file.dropLast("_leftImg8bit.png".count))
                let label = Self.labelPath(root: root, split: split, city: city, name: name)
                guard Files.exists(label) else {
                    throw DatasetError(
                        label,
                        "missing label for image \(Files.join(dir, file)); expected \(name)_gtFine_labelIds.png"
                    )
                }
                names.append(name)
                cities.append(city)
            }
        }
        guard !names.isEmpty else {
            throw DatasetError(images, "no *_leftImg8bit.png images found")
        }
        self.names = names
        self.cities = cities
    }

    public func load(_ index: Int) throws -> LabeledImage {
        let name = names[index], city = cities[index]
        let imagePath = Self.imagePath(root: root, split: split, city: city, name: name)
        let image = try Files.readImage(imagePath)
        let labelPath = Self.labelPath(root: root, split: split, city: city, name: name)
        let labelIds = try Files.readMap8(
            labelPath, width: image.width, height: image.height, what: "label-id")
        let trainIds = try Files.trainIds(fromLabelIds: labelIds, path: labelPath)
        var instances: InstanceMap? = nil
        let instancePath = Self.instancePath(root: root, split: split, city: city, name: name)
        if Files.exists(instancePath) {
            let png = try PNG.read(instancePath, layout: .gray16, what: "instance-id map")
            guard png.channels == 1 else {
                throw DatasetError(instancePath, "expected a single-channel instance PNG")
            }
            try Files.checkSize(instancePath, png.width, png.height, image.width, image.height)
            let values =
                png.bitDepth == 16
                ? png.samples16.map { Int32($0) } : png.samples8.map { Int32($0) }
            instances = InstanceMap(width: png.width, height: png.height, values: values)
        }
        return LabeledImage(name: name, image: image, trainIds: trainIds, instanceIds: instances)
    }

    /// `{city}_{seq:06}_{frame:06}`.
    public static func sampleName(city: String, sequence: Int, frame: Int) -> String {
        "\(city)_\(pad6(sequence))_\(pad6(frame))"
    }

    public static func imagePath(root: String, split: String, city: String, name: String) -> String
    {
        Files.join(root, "leftImg8bit", split, city, "\(name)_leftImg8bit.png")
    }

    public static func labelPath(root: String, split: String, city: String, name: String) -> String
    {
        Files.join(root, "gtFine", split, city, "\(name)_gtFine_labelIds.png")
    }

    public static func instancePath(root: String, split: String, city: String, name: String)
        -> String
    {
        Files.join(root, "gtFine", split, city, "\(name)_gtFine_instanceIds.png")
    }

    /// Writes a scene as sample `name` of `city` in `split`.
    public static func write(
        _ scene: SyntheticScene, root: String, split: String, city: String, name: String
    ) throws {
        try Files.makeDirectory(Files.join(root, "leftImg8bit", split, city))
        try Files.makeDirectory(Files.join(root, "gtFine", split, city))
        let (w, h) = (scene.image.width, scene.image.height)
        try PNG.write(
            rgb8: scene.image.pixels, width: w, height: h,
            to: imagePath(root: root, split: split, city: city, name: name))
        try PNG.write(
            gray8: scene.labelIds.values, width: w, height: h,
            to: labelPath(root: root, split: split, city: city, name: name))
        try PNG.write(
            gray16: scene.instanceIds.values.map { UInt16($0) }, width: w, height: h,
            to: instancePath(root: root, split: split, city: city, name: name))
    }

    /// The cities of Cityscapes' train and val splits (the synthetic writer names files after them).
    public static let trainCities = [
        "aachen", "bochum", "bremen", "cologne", "darmstadt", "dusseldorf", "erfurt", "hamburg",
        "hanover",
        "jena", "krefeld", "monchengladbach", "strasbourg", "stuttgart", "tubingen", "ulm",
        "weimar", "zurich",
    ]
    public static let valCities = ["frankfurt", "lindau", "munster"]
}

func pad6(_ v: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, 6 - s.count)) + s
}
