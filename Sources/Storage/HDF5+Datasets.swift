internal import CHDF5
import Tensors

/// Typed dataset access: float32 tensors, int64/int32 arrays and label maps (h5py
/// `create_dataset(name, data=array)` and `file[name][()]`).
extension HDF5File {
    /// Writes `tensor` as float32 dataset `name`; `gzip` (0-9) compresses it with shuffle+deflate.
    public func write(_ tensor: Tensor, as name: String, gzip: Int? = nil) throws {
        try write(tensor.data, .float32, shape: tensor.shape, as: name, gzip: gzip)
    }

    /// Writes `int64s` with `shape` ([] for a scalar) as int64 dataset `name`.
    public func write(int64s: [Int64], shape: [Int], as name: String, gzip: Int? = nil) throws {
        try write(int64s, .int64, shape: shape, as: name, gzip: gzip)
    }

    /// Writes `int32s` with `shape` ([] for a scalar) as int32 dataset `name`.
    public func write(int32s: [Int32], shape: [Int], as name: String, gzip: Int? = nil) throws {
        try write(int32s, .int32, shape: shape, as: name, gzip: gzip)
    }

    /// Writes a label map as int32 dataset `name` of shape [N, H, W].
    public func write(_ labels: Labels, as name: String, gzip: Int? = nil) throws {
        try write(labels.data, .int32, shape: labels.shape, as: name, gzip: gzip)
    }

    /// The shape of dataset `name` ([] for a scalar).
    public func shape(of name: String) throws -> [Int] { try info(.dataset(name)).shape }

    /// Float dataset `name` as a float32 tensor (float64 and float16 data are converted).
    /// With `shape`, a dataset of any other shape is an error.
    public func tensor(_ name: String, shape expected: [Int]? = nil) throws -> Tensor {
        let (shape, values): ([Int], [Float]) = try read(name, .float32, .float, expected)
        return Tensor(shape: shape, data: values)
    }

    /// Integer dataset `name` as int64 values with its shape.
    public func int64s(_ name: String, shape expected: [Int]? = nil) throws
        -> (shape: [Int], values: [Int64])
    {
        try read(name, .int64, .integer, expected)
    }

    /// Integer dataset `name` as int32 values with its shape (wider values are clamped by HDF5).
    public func int32s(_ name: String, shape expected: [Int]? = nil) throws
        -> (shape: [Int], values: [Int32])
    {
        try read(name, .int32, .integer, expected)
    }

    /// Integer dataset `name` of shape [N, H, W] as a label map.
    public func labels(_ name: String) throws -> Labels {
        let (shape, values) = try int32s(name)
        guard shape.count == 3 else {
            throw StorageError(
                .wrongShape, file: path, key: name, "expected shape [N, H, W], found \(shape)")
        }
        return Labels(shape: shape, data: values)
    }

    private func write<T>(
        _ values: [T], _ element: HDF5Element, shape: [Int], as name: String, gzip: Int?
    ) throws {
        precondition(
            values.count == shape.reduce(1, *),
            "HDF5File.write(\(name)): \(values.count) values for shape \(shape)")
        precondition((0...9).contains(gzip ?? 0), "HDF5File.write(\(name)): gzip level \(gzip!)")
        try values.withUnsafeBytes {
            try write(.dataset(name), element, shape: shape, gzip: gzip, $0)
        }
    }

    /// Reads dataset `name` as `element`s after checking its stored kind and shape.
    private func read<T: BitwiseCopyable>(
        _ name: String, _ element: HDF5Element, _ kind: HDF5DataInfo.Kind, _ expected: [Int]?
    ) throws -> ([Int], [T]) {
        let info = try info(.dataset(name))
        guard info.kind == kind else {
            throw StorageError(
                .wrongType, file: path, key: name,
                "expected \(kind) data, found \(info.kind) data of \(info.byteWidth) bytes each")
        }
        if let expected, expected != info.shape {
            throw StorageError(
                .wrongShape, file: path, key: name,
                "expected shape \(expected), found \(info.shape)")
        }
        let count = info.shape.reduce(1, *)
        let values = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(.dataset(name), as: element, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count  // HDF5 wrote every element (trivial type, nothing to clean up)
        }
        return (info.shape, values)
    }
}

extension HDF5File {
    /// Creates the missing groups on the path to `name` ("a/b/c" -> "a", "a/b"), without
    /// modification times (like every object the harness writes), so equal content gives equal
    /// file bytes.
    func createGroups(above name: String, lcpl: hid_t) throws {
        let parts = name.split(separator: "/")
        guard parts.count > 1 else { return }
        let gcpl = H5Pcreate(h5s_group_create())
        defer { H5Pclose(gcpl) }
        H5Pset_obj_track_times(gcpl, false)
        var prefix = name.hasPrefix("/") ? "/" : ""
        for part in parts.dropLast() {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + part
            if contains(prefix) { continue }
            let group = H5Gcreate2(id, prefix, lcpl, gcpl, hid_t(H5P_DEFAULT))
            guard group >= 0 else { throw failure(.io, prefix, "cannot create group") }
            H5Gclose(group)
        }
    }
}
