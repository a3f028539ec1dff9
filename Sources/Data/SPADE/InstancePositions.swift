import Foundation
import ImageCodecs
import Tensors

/// How the two sinusoids of a position-map channel combine (spade.md §6.5, section 13 item 3).
public enum PositionCombine: String, Codable, Sendable, CaseIterable {
    /// PE(4j+k) = d_k[0] p(j,x) + d_k[1] p(j,y) (the recommended reading).
    case sum
    /// PE(4j+k) = (d_k[0] p(j,x)) (d_k[1] p(j,y)).
    case product
}

/// The frequencies of the position map.
public enum PositionFrequency: String, Codable, Sendable, CaseIterable {
    /// ω_j = 4j / C, the paper's literal formula (default).
    case literal
    /// ω_j = 10000^(-4j / C), transformer style.
    case transformer
}

/// The instances of Cityscapes-encoded instance maps (spade.md §6.3): every distinct id
/// v >= 1000 is an instance (class v div 1000), ordered by ascending id; ids below 1000 (stuff,
/// void, groups) are background.
public struct InstanceLayout: Sendable, Equatable {
    /// (N, H, W): the 0-based instance index of each pixel within its image, -1 on background.
    public let index: Labels
    /// The instance ids of each image, ascending.
    public let ids: [[Int32]]

    /// The instances of each map (all maps the same size).
    public init(_ maps: [InstanceMap]) {
        precondition(!maps.isEmpty, "InstanceLayout: no instance maps")
        let (h, w) = (maps[0].height, maps[0].width)
        var index = [Int32](repeating: -1, count: maps.count * h * w)
        var ids: [[Int32]] = []
        for (n, map) in maps.enumerated() {
            precondition(
                map.height == h && map.width == w,
                "InstanceLayout: map \(n) is \(map.height)x\(map.width), not \(h)x\(w)")
            let sorted = Array(Set(map.values.filter { $0 >= 1000 })).sorted()
            var position: [Int32: Int32] = [:]  // lookup only, never iterated
            for (i, id) in sorted.enumerated() { position[id] = Int32(i) }
            for (i, v) in map.values.enumerated() where v >= 1000 {
                index[n * h * w + i] = position[v]!
            }
            ids.append(sorted)
        }
        self.index = Labels(shape: [maps.count, h, w], data: index)
        self.ids = ids
    }

    /// The number of instances in each image.
    public var counts: [Int] { ids.map(\.count) }
}

/// The per-instance sinusoidal position map of L+I+P (paper 2 eq. 2, spade.md §6.5).
public enum PositionMap {
    /// C, the number of channels (4 per frequency).
    public static let channels = 128

    /// (N, channels, H, W): inside instance i's mask, channel 4j+k holds the code of the
    /// pixel's place in the instance's bounding box; 0 outside every instance.
    public static func make(
        _ layout: InstanceLayout, channels: Int = channels, combine: PositionCombine = .sum,
        frequency: PositionFrequency = .literal
    ) -> Tensor {
        precondition(channels > 0 && channels % 4 == 0, "PositionMap: \(channels) channels")
        let (n, h, w) = (layout.index.shape[0], layout.index.shape[1], layout.index.shape[2])
        let omegas = (0..<channels / 4).map { j -> Double in
            let e = 4 * Double(j) / Double(channels)
            return frequency == .literal ? e : pow(10000, -e)
        }
        let signs: [(Double, Double)] = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
        let plane = h * w
        var out = Tensor(zeros: [n, channels, h, w])
        for b in 0..<n {
            let boxes = boundingBoxes(layout, image: b)
            for y in 0..<h {
                for x in 0..<w {
                    let i = Int(layout.index.data[b * plane + y * w + x])
                    guard i >= 0 else { continue }
                    let box = boxes[i]
                    let ux = 2 * Double(x - box.x1) / Double(box.width) - 1
                    let uy = 2 * Double(y - box.y1) / Double(box.height) - 1
                    for (j, omega) in omegas.enumerated() {
                        let px = sin(ux * omega), py = sin(uy * omega)
                        for (k, d) in signs.enumerated() {
                            let v = combine == .sum ? d.0 * px + d.1 * py : (d.0 * px) * (d.1 * py)
                            out.data[((b * channels) + 4 * j + k) * plane + y * w + x] = Float(v)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The bounding box of each instance of image `b`: x1, y1 = the minimum column and row,
    /// width = max column - x1 + 1, height likewise.
    public static func boundingBoxes(_ layout: InstanceLayout, image b: Int)
        -> [(x1: Int, y1: Int, width: Int, height: Int)]
    {
        let (h, w) = (layout.index.shape[1], layout.index.shape[2])
        let count = layout.ids[b].count
        var lo = [(Int, Int)](repeating: (Int.max, Int.max), count: count)
        var hi = [(Int, Int)](repeating: (-1, -1), count: count)
        for y in 0..<h {
            for x in 0..<w {
                let i = Int(layout.index.data[(b * h + y) * w + x])
                guard i >= 0 else { continue }
                lo[i] = (min(lo[i].0, x), min(lo[i].1, y))
                hi[i] = (max(hi[i].0, x), max(hi[i].1, y))
            }
        }
        return (0..<count).map { i in
            (lo[i].0, lo[i].1, hi[i].0 - lo[i].0 + 1, hi[i].1 - lo[i].1 + 1)
        }
    }
}
