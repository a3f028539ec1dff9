/// One Cityscapes label: a row of cityscapesScripts' `helpers/labels.py`.
public struct CityscapesLabel: Sendable, Equatable {
    /// Unique name, e.g. "car".
    public let name: String
    /// The id stored in `*_gtFine_labelIds.png` (0...33).
    public let id: UInt8
    /// The training id (0...18), or 255 for labels ignored in training and evaluation.
    public let trainId: UInt8
    /// The category name ("void", "flat", "construction", "object", "nature", "sky", "human", "vehicle").
    public let category: String
    /// The category's id (0...7).
    public let categoryId: UInt8
    /// Whether the label's pixels carry instance ids (`id * 1000 + k`) in `*_instanceIds.png`.
    public let hasInstances: Bool
    /// Whether evaluation ignores the label.
    public let ignoreInEval: Bool
    /// The colour of `*_gtFine_color.png`, (r, g, b).
    public let color: (UInt8, UInt8, UInt8)

    public static func == (a: CityscapesLabel, b: CityscapesLabel) -> Bool {
        a.name == b.name && a.id == b.id && a.trainId == b.trainId && a.category == b.category
            && a.categoryId == b.categoryId && a.hasInstances == b.hasInstances
            && a.ignoreInEval == b.ignoreInEval && a.color == b.color
    }
}

/// The Cityscapes label set: the one table every other mapping in the package derives from.
///
/// The 34 labels with ids 0...33 of cityscapesScripts `helpers/labels.py`, in id order. (The
/// table's 35th row, 'license plate' with id -1, never appears in a label map and is left out.)
public enum Cityscapes {
    /// The value marking "no training label" in train-id maps.
    public static let ignoreTrainId: UInt8 = 255
    /// Number of training classes.
    public static let trainClassCount = 19

    private static func row(
        _ name: String, _ id: UInt8, _ trainId: UInt8, _ category: String, _ categoryId: UInt8,
        _ hasInstances: Bool, _ ignoreInEval: Bool, _ color: (UInt8, UInt8, UInt8)
    ) -> CityscapesLabel {
        CityscapesLabel(
            name: name, id: id, trainId: trainId, category: category, categoryId: categoryId,
            hasInstances: hasInstances, ignoreInEval: ignoreInEval, color: color)
    }

    /// All labels, indexed by label id (`labels[i].id == i`).
    public static let labels: [CityscapesLabel] = [
        //   name                    id  train  category        cat  inst   ignore  colour
        row("unlabeled", 0, 255, "void", 0, false, true, (0, 0, 0)),
        row("ego vehicle", 1, 255, "void", 0, false, true, (0, 0, 0)),
        row("rectification border", 2, 255, "void", 0, false, true, (0, 0, 0)),
        row("out of roi", 3, 255, "void", 0, false, true, (0, 0, 0)),
        row("static", 4, 255, "void", 0, false, true, (0, 0, 0)),
        row("dynamic", 5, 255, "void", 0, false, true, (111, 74, 0)),
        row("ground", 6, 255, "void", 0, false, true, (81, 0, 81)),
        row("road", 7, 0, "flat", 1, false, false, (128, 64, 128)),
        row("sidewalk", 8, 1, "flat", 1, false, false, (244, 35, 232)),
        row("parking", 9, 255, "flat", 1, false, true, (250, 170, 160)),
        row("rail track", 10, 255, "flat", 1, false, true, (230, 150, 140)),
        row("building", 11, 2, "construction", 2, false, false, (70, 70, 70)),
        row("wall", 12, 3, "construction", 2, false, false, (102, 102, 156)),
        row("fence", 13, 4, "construction", 2, false, false, (190, 153, 153)),
        row("guard rail", 14, 255, "construction", 2, false, true, (180, 165, 180)),
        row("bridge", 15, 255, "construction", 2, false, true, (150, 100, 100)),
        row("tunnel", 16, 255, "construction", 2, false, true, (150, 120, 90)),
        row("pole", 17, 5, "object", 3, false, false, (153, 153, 153)),
        row("polegroup", 18, 255, "object", 3, false, true, (153, 153, 153)),
        row("traffic light", 19, 6, "object", 3, false, false, (250, 170, 30)),
        row("traffic sign", 20, 7, "object", 3, false, false, (220, 220, 0)),
        row("vegetation", 21, 8, "nature", 4, false, false, (107, 142, 35)),
        row("terrain", 22, 9, "nature", 4, false, false, (152, 251, 152)),
        row("sky", 23, 10, "sky", 5, false, false, (70, 130, 180)),
        row("person", 24, 11, "human", 6, true, false, (220, 20, 60)),
        row("rider", 25, 12, "human", 6, true, false, (255, 0, 0)),
        row("car", 26, 13, "vehicle", 7, true, false, (0, 0, 142)),
        row("truck", 27, 14, "vehicle", 7, true, false, (0, 0, 70)),
        row("bus", 28, 15, "vehicle", 7, true, false, (0, 60, 100)),
        row("caravan", 29, 255, "vehicle", 7, true, true, (0, 0, 90)),
        row("trailer", 30, 255, "vehicle", 7, true, true, (0, 0, 110)),
        row("train", 31, 16, "vehicle", 7, true, false, (0, 80, 100)),
        row("motorcycle", 32, 17, "vehicle", 7, true, false, (0, 0, 230)),
        row("bicycle", 33, 18, "vehicle", 7, true, false, (119, 11, 32)),
    ]

    /// The label with `name`; a precondition failure for an unknown name (names are literals).
    public static func label(_ name: String) -> CityscapesLabel {
        guard let label = labels.first(where: { $0.name == name }) else {
            preconditionFailure("Cityscapes.label: no label named '\(name)'")
        }
        return label
    }

    /// The label id of `name` (e.g. `id("car") == 26`).
    public static func id(_ name: String) -> UInt8 { label(name).id }

    /// Train id by label id for all 256 byte values; ids outside 0...33 map to 255.
    public static let trainIdOfLabelId: [UInt8] = (0..<256).map { i in
        i < labels.count ? labels[i].trainId : ignoreTrainId
    }

    /// The 19 training classes' names, by train id ("road", "sidewalk", ..., "bicycle").
    public static let trainClassNames: [String] = (0..<trainClassCount).map { t in
        labels.first { Int($0.trainId) == t }!.name
    }

    /// The 19 training classes' colours (r, g, b), by train id.
    public static let trainClassColors: [(UInt8, UInt8, UInt8)] = (0..<trainClassCount).map { t in
        labels.first { Int($0.trainId) == t }!.color
    }

    /// The label id of each train id (the first label carrying it), for writing label-id maps.
    public static let labelIdOfTrainId: [UInt8] = (0..<trainClassCount).map { t in
        labels.first { Int($0.trainId) == t }!.id
    }

    /// True for label ids whose pixels carry per-instance ids.
    public static func hasInstances(_ labelId: UInt8) -> Bool {
        Int(labelId) < labels.count && labels[Int(labelId)].hasInstances
    }

    /// Whether `labelId` is one of the 34 ids.
    public static func isValidLabelId(_ labelId: UInt8) -> Bool { Int(labelId) < labels.count }

    /// Maps a label-id map to train ids through the table (ids outside 0...33 give 255).
    public static func trainIds(fromLabelIds ids: [UInt8]) -> [UInt8] {
        let table = trainIdOfLabelId
        return ids.map { table[Int($0)] }
    }
}
