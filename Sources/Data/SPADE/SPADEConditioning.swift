import ImageCodecs
import Tensors

/// A label or instance map that cannot condition SPADE: names its source and the problem.
public struct ConditioningError: Error, CustomStringConvertible, Equatable {
    /// The file (or other source) the map came from.
    public let source: String
    public let problem: String

    public init(_ source: String, _ problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

/// SPADE's conditioning inputs (NVlabs/SPADE `Pix2PixModel.preprocess_input` and `get_edges`,
/// spec spade.md §1.3 and §4): the one-hot of the Cityscapes label ids and the instance edge
/// map, as NCHW float tensors of zeros and ones.
public enum SPADEConditioning {
    /// The number of Cityscapes label ids (0...33 drawn, 34 = license plate channel kept empty).
    public static let cityscapesLabelCount = 35

    /// One-hot of label ids: (N, classes, H, W), channel = label id. Throws when a map holds an
    /// id outside 0..<classes, naming `sources[n]` (the map's file).
    public static func oneHot(
        _ labels: [LabelMap], classes: Int = cityscapesLabelCount, sources: [String]? = nil
    ) throws -> Tensor {
        let (h, w) = try commonSize(labels, sources: sources)
        let plane = h * w
        var out = Tensor(zeros: [labels.count, classes, h, w])
        for (n, map) in labels.enumerated() {
            for (i, id) in map.values.enumerated() {
                guard Int(id) < classes else {
                    throw ConditioningError(
                        source(sources, n),
                        "label id \(id) at (x \(i % w), y \(i / w)) is outside the "
                            + "\(classes) label ids 0...\(classes - 1)")
                }
                out.data[(n * classes + Int(id)) * plane + i] = 1
            }
        }
        return out
    }

    /// The instance edge map of `get_edges`: 1 at both pixels of every horizontally or
    /// vertically adjacent pair whose instance ids differ, 0 elsewhere; (N, 1, H, W).
    public static func edges(_ instances: [InstanceMap]) -> Tensor {
        precondition(!instances.isEmpty, "SPADEConditioning.edges: no instance maps")
        let (h, w) = (instances[0].height, instances[0].width)
        var out = Tensor(zeros: [instances.count, 1, h, w])
        for (n, map) in instances.enumerated() {
            precondition(
                map.height == h && map.width == w,
                "SPADEConditioning.edges: map \(n) is \(map.height)x\(map.width), not \(h)x\(w)")
            let base = n * h * w
            let t = map.values
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    if x + 1 < w, t[i] != t[i + 1] {
                        out.data[base + i] = 1
                        out.data[base + i + 1] = 1
                    }
                    if y + 1 < h, t[i] != t[i + w] {
                        out.data[base + i] = 1
                        out.data[base + i + w] = 1
                    }
                }
            }
        }
        return out
    }

    /// The conditioning tensor S: one-hot (`classes` channels, 35), then the edge map when
    /// `edges` is true. Throws when an instance map's size differs from its label map's or an
    /// id is out of range, naming the file (`labelSources[n]`, `instanceSources[n]`).
    public static func semantics(
        labels: [LabelMap], instances: [InstanceMap], edges useEdges: Bool,
        classes: Int = cityscapesLabelCount, labelSources: [String]? = nil,
        instanceSources: [String]? = nil
    ) throws -> Tensor {
        try checkPairs(
            labels: labels, instances: instances, labelSources: labelSources,
            instanceSources: instanceSources)
        let onehot = try oneHot(labels, classes: classes, sources: labelSources)
        guard useEdges else { return onehot }
        return withoutGradient {
            concatChannels([Variable(onehot), Variable(edges(instances))]).value
        }
    }

    /// Checks that every instance map has its label map's size.
    public static func checkPairs(
        labels: [LabelMap], instances: [InstanceMap], labelSources: [String]? = nil,
        instanceSources: [String]? = nil
    ) throws {
        guard labels.count == instances.count else {
            throw ConditioningError(
                "conditioning batch",
                "\(labels.count) label maps but \(instances.count) instance maps")
        }
        for n in labels.indices {
            let (l, i) = (labels[n], instances[n])
            guard l.width == i.width, l.height == i.height else {
                throw ConditioningError(
                    source(instanceSources, n),
                    "instance map is \(i.width)x\(i.height) (WxH) but its label map "
                        + "\(source(labelSources, n)) is \(l.width)x\(l.height)")
            }
        }
    }

    static func commonSize(_ labels: [LabelMap], sources: [String]?) throws -> (Int, Int) {
        guard let first = labels.first else {
            throw ConditioningError("conditioning batch", "no label maps")
        }
        for (n, map) in labels.enumerated()
        where map.width != first.width
            || map.height != first.height
        {
            throw ConditioningError(
                source(sources, n),
                "label map is \(map.width)x\(map.height) (WxH), the batch's first is "
                    + "\(first.width)x\(first.height)")
        }
        return (first.height, first.width)
    }

    static func source(_ sources: [String]?, _ n: Int) -> String {
        guard let sources, n < sources.count else { return "label map \(n) of the batch" }
        return sources[n]
    }
}
