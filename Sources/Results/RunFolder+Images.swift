import Foundation

extension RunFolder {
    /// <folder>/generated: an image-synthesis run's generated val images, `<scene>.png`.
    public var generatedImagesURL: URL { url.appendingPathComponent("generated") }
    /// <folder>/real: the real val images at the generated images' size, same names, so a
    /// study (`repro survey serve --images <run folders>`) shows both at one size.
    public var realImagesURL: URL { url.appendingPathComponent("real") }
}
