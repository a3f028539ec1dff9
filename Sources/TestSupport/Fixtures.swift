import Storage

/// The committed test fixtures in Tests/Fixtures (HDF5 files written by the PyTorch scripts in
/// Tests/Fixtures/scripts).
public enum Fixture {
    /// The package root, found from this source file's location (Sources/TestSupport/).
    private static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The absolute path of Tests/Fixtures/`name`.
    public static func path(_ name: String) -> String { "\(root)/Tests/Fixtures/\(name)" }

    /// Opens Tests/Fixtures/`name` for reading (`Fixture.open("conv.h5").tensor("out")`).
    public static func open(_ name: String) throws -> HDF5File {
        try HDF5File(reading: path(name))
    }
}
