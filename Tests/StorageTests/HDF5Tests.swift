import Foundation
import Storage
import Tensors
import TestSupport
import Testing

@Suite struct HDF5Tests {
    let scratch = TemporaryFolder()

    /// No clock reaches the bytes: the same content written twice, more than a second apart
    /// (HDF5 object times have whole seconds), gives identical files, groups included, so a
    /// checkpoint's file hash identifies its weights.
    @Test func sameContentWrittenLaterGivesTheSameBytes() throws {
        func write(_ name: String) throws -> Data {
            let path = scratch.path + "/\(name).h5"
            let file = try HDF5File.create(path)
            try file.write(Tensor(shape: [2, 2], data: [1, 2, 3, 4]), as: "a/b/c.weight")
            try file.write(int64s: [7], shape: [], as: "a/n")
            try file.setAttribute("note", "x", on: "a/n")
            try file.commit()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let first = try write("first")
        Thread.sleep(forTimeInterval: 1.1)
        let second = try write("second")
        #expect(first == second)
        #expect(try HDF5File(reading: scratch.path + "/second.h5").isGroup("a/b"))
    }

    @Test func tensorsIntegersAndAttributesRoundTrip() throws {
        let path = scratch.path + "/a.h5"
        let t = Tensor(shape: [2, 3, 4], data: (0..<24).map { Float($0) * 0.25 - 3 })
        let big = Tensor(
            shape: [64, 33], data: (0..<(64 * 33)).map { Float(($0 * 7919) % 101) / 7 })
        let file = try HDF5File.create(path)
        try file.write(t, as: "encoder.layer1.0.conv1.weight")
        try file.write(big, as: "optimizer/encoder.w.exp_avg", gzip: 4)
        try file.write(Tensor(scalar: 1.5), as: "scalar")
        try file.write(Tensor(zeros: [0, 3]), as: "empty")
        try file.write(int64s: [7], shape: [], as: "bn.num_batches_tracked")
        try file.write(int64s: [1, -2, .max, .min], shape: [2, 2], as: "rng/state")
        try file.write(Labels(shape: [1, 2, 2], data: [0, 3, 255, 1]), as: "labels", gzip: 1)
        try file.setAttributes([
            "format_version": 1, "writer": "repro test", "lr": 0.01,
            "ids": .int64s([3, 4]), "names": .strings(["a", "é"]), "xs": .doubles([0.5]),
        ])
        try file.setAttribute("note", "dataset attr", on: "scalar")
        #expect(!FileManager.default.fileExists(atPath: path), "not visible before commit")
        try file.commit()
        #expect(
            try FileManager.default.contentsOfDirectory(
                atPath: (path as NSString).deletingLastPathComponent) == ["a.h5"])

        let r = try HDF5File(reading: path)
        #expect(try r.tensor("encoder.layer1.0.conv1.weight") == t)
        #expect(try r.tensor("optimizer/encoder.w.exp_avg", shape: [64, 33]) == big)
        #expect(try r.tensor("scalar") == Tensor(scalar: 1.5))
        #expect(try r.tensor("empty").shape == [0, 3])
        #expect(try r.int64s("bn.num_batches_tracked") == ([], [7]))
        #expect(try r.int64s("rng/state").values == [1, -2, .max, .min])
        #expect(try r.labels("labels") == Labels(shape: [1, 2, 2], data: [0, 3, 255, 1]))
        #expect(
            try r.names() == [
                "bn.num_batches_tracked", "empty", "encoder.layer1.0.conv1.weight", "labels",
                "optimizer", "rng", "scalar",
            ])
        #expect(try r.names(in: "optimizer") == ["encoder.w.exp_avg"])
        #expect(r.contains("rng/state") && !r.contains("rng/other") && !r.contains("nope/x"))
        #expect(r.isGroup("rng") && !r.isGroup("scalar"))
        #expect(try r.int64Attribute("format_version") == 1)
        #expect(try r.stringAttribute("writer") == "repro test")
        #expect(try r.doubleAttribute("lr") == 0.01)
        #expect(try r.int64sAttribute("ids") == [3, 4])
        #expect(try r.stringsAttribute("names") == ["a", "é"])
        #expect(try r.doublesAttribute("xs") == [0.5])
        #expect(try r.stringAttribute("note", of: "scalar") == "dataset attr")
        #expect(try r.attributeNames() == ["format_version", "ids", "lr", "names", "writer", "xs"])
    }

    @Test func errorsNameFileKeyAndProblem() throws {
        let dir = scratch.path
        let file = try HDF5File.create(dir + "/e.h5")
        try file.write(Tensor(zeros: [2, 2]), as: "w")
        try file.write(int64s: [1], shape: [1], as: "n")
        try file.commit()
        let r = try HDF5File(reading: dir + "/e.h5")

        func kind(_ body: () throws -> Void) -> StorageError? {
            do { try body() } catch let e as StorageError { return e } catch { return nil }
            return nil
        }
        let missing = kind { _ = try r.tensor("encoder.x") }
        #expect(missing?.kind == .missingKey)
        #expect(missing?.description == "\(dir)/e.h5: 'encoder.x': no such dataset")
        #expect(kind { _ = try r.tensor("n") }?.kind == .wrongType)
        #expect(kind { _ = try r.int64s("w") }?.kind == .wrongType)
        let shape = kind { _ = try r.tensor("w", shape: [4]) }
        #expect(shape?.kind == .wrongShape)
        #expect(shape?.description.contains("expected shape [4], found [2, 2]") == true)
        #expect(kind { _ = try r.attribute("x") }?.kind == .missingKey)
        #expect(kind { _ = try HDF5File(reading: dir + "/absent.h5") }?.kind == .missingFile)

        _ = FileManager.default.createFile(atPath: dir + "/text.h5", contents: Data("hello".utf8))
        let text = kind { _ = try HDF5File(reading: dir + "/text.h5") }
        #expect(text?.kind == .wrongFormat)
        #expect(text?.file == dir + "/text.h5")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/e.h5"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.h5"))
        let cut = kind { _ = try HDF5File(reading: dir + "/cut.h5").tensor("w") }
        #expect(cut?.kind == .corrupt)
        #expect(cut?.description.hasPrefix(dir + "/cut.h5: ") == true)
    }

    @Test func abandonedWriteLeavesNothing() throws {
        let dir = scratch.path
        do {
            let file = try HDF5File.create(dir + "/x.h5")
            try file.write(Tensor(zeros: [3]), as: "w")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }
}
