import Storage

/// The committed test fixtures in Tests/Fixtures (HDF5 files written by
/// Tests/Fixtures/scripts/make_fixtures.py; Tests/Fixtures/README.md lists them). Op fixtures
/// are read case by case with `Fixture.case` (FixtureCase.swift).
public enum Fixture {
    /// The package root, found from this source file's location (Sources/TestSupport/).
    private static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The absolute path of Tests/Fixtures/`name`.
    public static func path(_ name: String) -> String { "\(root)/Tests/Fixtures/\(name)" }

    /// Opens Tests/Fixtures/`name` for reading, for files outside the case layout
    /// (`Fixture.open("optimizers.h5").tensor("sgd/initial/p0")`).
    public static func open(_ name: String) throws -> HDF5File {
        try HDF5File(reading: path(name))
    }
}
