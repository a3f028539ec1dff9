import ImageCodecs

/// Colour pictures of label and instance maps, for sheets and inspection.
public enum Colorize {
    /// Label ids in their cityscapesScripts colours.
    public static func labelIds(_ map: LabelMap) -> RGBImage {
        paint(map.width, map.height) { i in
            let id = Int(map.values[i])
            return id < Cityscapes.labels.count ? Cityscapes.labels[id].color : (0, 0, 0)
        }
    }

    /// Train ids in the 19 class colours (255 and unknown values black).
    public static func trainIds(_ map: LabelMap) -> RGBImage {
        paint(map.width, map.height) { i in
            let t = Int(map.values[i])
            return t < Cityscapes.trainClassCount ? Cityscapes.trainClassColors[t] : (0, 0, 0)
        }
    }

    /// Instance ids: each instance (>= 1000) in its own hashed colour, other pixels in their
    /// label colour at a third of the brightness.
    public static func instances(_ map: InstanceMap) -> RGBImage {
        paint(map.width, map.height) { i in
            let v = map.values[i]
            if v >= 1000 {
                let h = UInt32(truncatingIfNeeded: v) &* 2_654_435_761
                return (
                    UInt8(truncatingIfNeeded: h >> 24) | 0x40,
                    UInt8(truncatingIfNeeded: h >> 16) | 0x40,
                    UInt8(truncatingIfNeeded: h >> 8) | 0x40
                )
            }
            let c =
                Int(v) < Cityscapes.labels.count && v >= 0
                ? Cityscapes.labels[Int(v)].color : (0, 0, 0)
            return (c.0 / 3, c.1 / 3, c.2 / 3)
        }
    }

    private static func paint(_ w: Int, _ h: Int, _ color: (Int) -> (UInt8, UInt8, UInt8))
        -> RGBImage
    {
        var p = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) {
            let c = color(i)
            p[3 * i] = c.0; p[3 * i + 1] = c.1; p[3 * i + 2] = c.2
        }
        return RGBImage(width: w, height: h, pixels: p)
    }
}
