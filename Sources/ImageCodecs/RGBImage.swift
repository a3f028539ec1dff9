/// An 8-bit RGB image: rows top to bottom, pixels interleaved r, g, b (HWC), like a PIL "RGB" image.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `height * width * 3` samples.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(
            width >= 0 && height >= 0 && pixels.count == width * height * 3,
            "RGBImage: \(pixels.count) samples do not fill \(height)x\(width)x3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            p[3 * i] = fill.0
            p[3 * i + 1] = fill.1
            p[3 * i + 2] = fill.2
        }
        self.init(width: width, height: height, pixels: p)
    }

    /// The pixel at (`x`, `y`).
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

/// A single-channel map of `Element` (label ids, train ids, instance ids), rows top to bottom.
public struct Raster<Element: Sendable & Equatable>: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `height * width` values, row-major.
    public var values: [Element]

    public init(width: Int, height: Int, values: [Element]) {
        precondition(
            width >= 0 && height >= 0 && values.count == width * height,
            "Raster: \(values.count) values do not fill \(height)x\(width)")
        self.width = width
        self.height = height
        self.values = values
    }

    public init(width: Int, height: Int, repeating value: Element) {
        self.init(
            width: width, height: height, values: [Element](repeating: value, count: width * height)
        )
    }

    /// The value at (`x`, `y`).
    public subscript(x: Int, y: Int) -> Element {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// The same map with every value transformed.
    public func map<T>(_ transform: (Element) -> T) -> Raster<T> {
        Raster<T>(width: width, height: height, values: values.map(transform))
    }
}

/// Label ids (Cityscapes ids 0...33) or train ids (0...18, 255 ignore), one byte per pixel.
public typealias LabelMap = Raster<UInt8>
/// Instance ids in Cityscapes encoding: `labelId * 1000 + k` for instance classes, `labelId` elsewhere.
public typealias InstanceMap = Raster<Int32>
