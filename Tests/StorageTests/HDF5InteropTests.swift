import Foundation
import Storage
import Tensors
import TestSupport
import Testing

@Suite struct HDF5InteropTests {
    let scratch = TemporaryFolder()

    // Tests/Fixtures/scripts/make_storage.py: h5py writes float32/float64/int datasets, a
    // gzip+shuffle dataset in a group with a dotted name, and str/int/float/list attributes.
    @Test func readsFilesWrittenByH5py() throws {
        let f = try Fixture.open("storage.h5")
        #expect(try f.tensor("f32") == Tensor(shape: [3, 4], data: (0..<12).map { Float($0) / 8 }))
        #expect(try f.tensor("f64") == Tensor(shape: [2, 2], data: [0.1, -2.5, 1e-3, 3.0]))
        #expect(try f.int64s("i64.scalar") == ([], [42]))
        #expect(try f.int64s("i32").values == [1, 2, 255])
        #expect(try f.int32s("u8") == ([2, 2], [0, 7, 255, 3]))
        let nested = try f.tensor("group/nested.weight", shape: [5, 10])
        #expect(nested.data.first == -1 && nested.data.last == 1)
        #expect(try f.names() == ["f32", "f64", "group", "i32", "i64.scalar", "u8"])
        #expect(try f.stringAttribute("text") == "héllo")
        #expect(try f.int64Attribute("count") == 3)
        #expect(try f.doubleAttribute("ratio") == 0.25)
        #expect(try f.stringsAttribute("names") == ["a", "bc"])
        #expect(try f.int64sAttribute("ints") == [1, 2, 3])
        #expect(try f.stringAttribute("fixed") == "fixed-len")
        #expect(try f.stringAttribute("kind", of: "group") == "group attr")
    }

    /// h5py and h5dump read a file this package wrote.
    @Test func h5pyAndH5dumpReadSwiftFiles() throws {
        let path = scratch.path + "/swift.h5"
        let file = try HDF5File.create(path)
        try file.write(
            Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6.5]), as: "encoder.conv.weight")
        try file.write(
            Tensor(shape: [4], data: [1, 2, 3, 4]), as: "optimizer/encoder.conv.weight.exp_avg",
            gzip: 9)
        try file.write(int64s: [9], shape: [], as: "bn.num_batches_tracked")
        try file.setAttributes(["writer": "repro test", "step": 12, "lrs": .doubles([0.5, 0.25])])
        try file.commit()

        guard
            let python = python(
                importing: ["h5py", "numpy"], packages: "python3-h5py python3-numpy")
        else { return }
        let script = """
            import sys, h5py, numpy as np
            f = h5py.File(sys.argv[1], "r")
            assert f["encoder.conv.weight"].dtype == np.float32
            assert f["encoder.conv.weight"][()].tolist() == [[1, 2, 3], [4, 5, 6.5]]
            assert f["optimizer/encoder.conv.weight.exp_avg"].compression == "gzip"
            assert f["optimizer"]["encoder.conv.weight.exp_avg"][()].tolist() == [1, 2, 3, 4]
            n = f["bn.num_batches_tracked"]
            assert n.dtype == np.int64 and n.shape == () and n[()] == 9
            assert f.attrs["writer"] == "repro test", f.attrs["writer"]
            assert f.attrs["step"] == 12 and f.attrs["lrs"].tolist() == [0.5, 0.25]
            print("ok")
            """
        let result = try run(python, ["-c", script, path])
        #expect(result.status == 0 && result.output == "ok\n", "\(result.output)")

        let h5dump = "/usr/bin/h5dump"
        guard FileManager.default.isExecutableFile(atPath: h5dump) else {
            Issue.record("h5dump not found: install hdf5-tools (apt-get install hdf5-tools)")
            return
        }
        let dump = try run(h5dump, ["-H", path])
        #expect(dump.status == 0, "\(dump.output)")
        #expect(dump.output.contains("DATASET \"encoder.conv.weight\""))
        #expect(dump.output.contains("H5T_IEEE_F32LE") && dump.output.contains("H5T_STD_I64LE"))
        #expect(dump.output.contains("GROUP \"optimizer\""))
    }

    /// A file on which libhdf5 1.10.8 loops forever (found by fuzzing) is refused once the
    /// copy's time limit passes, naming the file; the limit comes from the environment.
    @Test func aFileThatHangsLibhdf5IsRefusedAfterTheLimit() throws {
        let path = Fixture.path("../../Fuzz/Regressions/hdf5-libhdf5-loops.h5")
        setenv(HDF5File.probeTimeoutVariable, "0.3", 1)
        defer { unsetenv(HDF5File.probeTimeoutVariable) }
        let start = Date()
        let error = #expect(throws: StorageError.self) { _ = try HDF5File(reading: path) }
        #expect(error?.kind == .corrupt && error?.file == path)
        #expect(
            error?.problem.contains("did not finish in 0.3 s") == true,
            "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 5)

        setenv(HDF5File.probeTimeoutVariable, "soon", 1)
        let bad = #expect(throws: StorageError.self) { _ = try HDF5File(reading: path) }
        #expect(bad?.problem.contains("REPRO_HDF5_PROBE_TIMEOUT=soon") == true)
    }
}
