import ImageCodecs

/// One Cityscapes sample as SPADE reads it (NVlabs/SPADE `CityscapesDataset`): the image, the
/// 8-bit label ids (not train ids: SPADE conditions on all 35 ids) and the 16-bit instance ids,
/// each with the file it came from (for errors).
public struct SPADESample: Sendable {
    public let name: String
    public let image: RGBImage
    public let labelIds: LabelMap
    public let instanceIds: InstanceMap
    public let imagePath: String
    public let labelPath: String
    public let instancePath: String

    /// The files as `SPADEPreprocess.apply` names them.
    public var sources: (image: String, labels: String, instances: String) {
        (imagePath, labelPath, instancePath)
    }
}

extension CityscapesDataset {
    /// Sample `index` with its label ids and instance ids. The label map must match the image
    /// size; the instance map (16-bit) is read as stored and its size is checked against
    /// the label map by `SPADEPreprocess.apply`, which names the instance file.
    public func spadeSample(_ index: Int) throws -> SPADESample {
        let name = names[index]
        // Names are "{city}_{seq:06}_{frame:06}": the city is everything before the last 14.
        let city = String(name.dropLast(14))
        let imagePath = Self.imagePath(root: root, split: split, city: city, name: name)
        let labelPath = Self.labelPath(root: root, split: split, city: city, name: name)
        let instancePath = Self.instancePath(root: root, split: split, city: city, name: name)
        let image = try Files.readImage(imagePath)
        let labels = try Files.readMap8(
            labelPath, width: image.width, height: image.height, what: "label-id")
        guard Files.exists(instancePath) else {
            throw DatasetError(
                instancePath, "missing instance map for \(labelPath) (SPADE needs instance ids)")
        }
        let png = try PNG.read(instancePath, layout: .gray16, what: "instance-id map")
        guard png.channels == 1 else {
            throw DatasetError(instancePath, "expected a single-channel instance PNG")
        }
        let values = png.samples16.map { Int32($0) }
        return SPADESample(
            name: name, image: image, labelIds: labels,
            instanceIds: InstanceMap(width: png.width, height: png.height, values: values),
            imagePath: imagePath, labelPath: labelPath, instancePath: instancePath)
    }
}
