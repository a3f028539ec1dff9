internal import CHDF5
import FileIO
import Foundation

/// An HDF5 file opened for reading, or being written atomically (mirrors `h5py.File`).
///
/// The only Swift file calling the HDF5 C library (typed API: HDF5+Datasets.swift,
/// HDF5Attribute.swift). Names are HDF5 paths: '/' separates groups (created on demand), '.'
/// is an ordinary character, so dotted PyTorch state_dict keys are single root datasets.
///
/// `create` writes a temporary file next to `path` (root members in creation order, which h5py
/// iterates in) that `commit()` or `close()` stamps with a content digest (HDF5Digest.swift)
/// and renames to `path`; uncommitted, it leaves nothing. Opening verifies a digest if present.
public final class HDF5File {
    /// The destination (when writing) or source (when reading) path.
    public let path: String
    /// Whether the file was made by `create`.
    public let isWritable: Bool
    /// Whether the file carries repro's content digest (verified on opening).
    public let hasDigest: Bool
    private let workingPath: String
    let id: hid_t
    private(set) var isOpen = true

    /// The HDF5 library version in use, e.g. "1.10.8" (h5py.version.hdf5_version).
    public static var libraryVersion: String {
        var v: (UInt32, UInt32, UInt32) = (0, 0, 0)
        guard H5get_libversion(&v.0, &v.1, &v.2) >= 0 else { return "unknown" }
        return "\(v.0).\(v.1).\(v.2)"
    }

    private init(path: String, workingPath: String, writable: Bool, id: hid_t) {
        self.path = path
        self.workingPath = workingPath
        self.isWritable = writable
        self.hasDigest = writable
        self.id = id
    }

    /// Starts writing a new file that will replace `path` atomically on `commit()`.
    public static func create(_ path: String) throws -> HDF5File {
        h5s_silence()
        let temp = AtomicFile.temporaryPath(for: path)
        let fapl = H5Pcreate(h5s_file_access())
        defer { H5Pclose(fapl) }
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        let fcpl = H5Pcreate(h5s_file_create())  // root members keep their writing order
        defer { H5Pclose(fcpl) }
        H5Pset_link_creation_order(fcpl, UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED))
        H5Pset_userblock(fcpl, hsize_t(HDF5Digest.blockSize))
        H5Pset_obj_track_times(fcpl, false)  // no clock in the bytes: same content, same file
        let id = H5Fcreate(temp, h5s_acc_excl(), fcpl, fapl)
        guard id >= 0 else {
            let problem = "cannot create \(temp): directory missing or not writable"
            throw StorageError(.io, file: path, problem + lastError())
        }
        return HDF5File(path: path, workingPath: temp, writable: true, id: id)
    }

    /// Opens an existing file for reading.
    public init(reading path: String) throws {
        h5s_silence()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StorageError(.missingFile, file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw StorageError(.wrongFormat, file: path, "is a directory, not an HDF5 file")
        }
        // The digest catches damage with a clear message; the copy (HDF5+Checks.swift) keeps
        // every file, digest or not, from being parsed in this process: a digest is easily
        // recomputed, so a file crafted with a matching one must not crash libhdf5 here either.
        let hasDigest = try HDF5Digest.verify(path)
        let source = try Self.sanitizedCopy(path)
        defer { unlink(source) }
        let fapl = H5Pcreate(h5s_file_access())
        defer { H5Pclose(fapl) }
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        let id = H5Fopen(source, h5s_acc_rdonly(), fapl)
        guard id >= 0 else {
            let detail = lastError()
            if H5Fis_hdf5(path) <= 0 {
                throw StorageError(.wrongFormat, file: path, "not an HDF5 file (no HDF5 signature)")
            }
            throw StorageError(.corrupt, file: path, "HDF5 file is truncated or corrupt" + detail)
        }
        self.path = path
        self.workingPath = path
        self.isWritable = false
        self.hasDigest = hasDigest
        self.id = id
    }

    deinit {
        guard isOpen else { return }
        H5Fclose(id)
        if isWritable { unlink(workingPath) }
    }

    /// Finishes the file: for a created file, flushes it and renames it to `path` atomically.
    public func commit() throws {
        guard isOpen else { return }
        isOpen = false
        h5s_silence()
        let status = H5Fclose(id)
        guard isWritable else { return }
        guard status >= 0 else {
            unlink(workingPath)
            throw StorageError(.io, file: path, "cannot finish writing" + lastError())
        }
        do {
            try HDF5Digest.stamp(workingPath)
        } catch {
            unlink(workingPath)
            throw error
        }
        try AtomicFile.commit(workingPath, to: path)
    }

    /// Closes the file; same as `commit()` for a created file.
    public func close() throws { try commit() }

    /// Whether `name` (a dataset or group path) exists.
    public func contains(_ name: String) -> Bool {
        h5s_silence()
        var prefix = ""
        for part in name.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/\(part)"
            if H5Lexists(id, prefix, hid_t(H5P_DEFAULT)) <= 0 { return false }
        }
        return true
    }

    /// Whether `name` is a group (the root "/" is one).
    public func isGroup(_ name: String) -> Bool {
        guard contains(name) else { return false }
        let object = H5Oopen(id, name, hid_t(H5P_DEFAULT))
        guard object >= 0 else { return false }
        defer { H5Oclose(object) }
        return H5Iget_type(object) == H5I_GROUP
    }

    /// The names of the direct members (datasets and groups) of `group`, sorted.
    public func names(in group: String = "/") throws -> [String] {
        guard isGroup(group) else {
            throw StorageError(.missingKey, file: path, key: group, "no such group")
        }
        var info = H5G_info_t()
        guard H5Gget_info_by_name(id, group, &info, hid_t(H5P_DEFAULT)) >= 0 else {
            throw failure(.corrupt, group, "cannot list")
        }
        let names = try (0..<info.nlinks).map { i in
            try readName(group, i) {
                H5Lget_name_by_idx(
                    id, group, H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, hid_t(H5P_DEFAULT))
            }
        }
        return names.sorted()
    }

    /// The attribute names of `object`, sorted.
    public func attributeNames(of object: String = "/") throws -> [String] {
        h5s_silence()
        guard contains(object) else {
            throw StorageError(.missingKey, file: path, key: object, "no such object")
        }
        var info = H5O_info_t()
        guard H5Oget_info_by_name1(id, object, &info, hid_t(H5P_DEFAULT)) >= 0 else {
            throw failure(.corrupt, object, "cannot read object header")
        }
        let names = try (0..<info.num_attrs).map { i in
            try readName(object, i) {
                H5Aget_name_by_idx(
                    id, object, H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, hid_t(H5P_DEFAULT))
            }
        }
        return names.sorted()
    }

    // MARK: - Raw datasets and attributes (typed API in HDF5+Datasets.swift, HDF5Attribute.swift)

    /// Whether `location` exists.
    func exists(_ location: HDF5Location) -> Bool {
        switch location {
        case .dataset(let name): return contains(name) && !isGroup(name)
        case .attribute(let name, let object):
            return contains(object) && H5Aexists_by_name(id, object, name, hid_t(H5P_DEFAULT)) > 0
        }
    }

    /// Reads all values at `location`, converted to native `element`s, into `buffer`.
    func read(
        _ location: HDF5Location, as element: HDF5Element,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws {
        try withOpen(location) { handle, _, _ in
            try read(location, handle, element.types.memory, buffer.baseAddress ?? nonNull)
        }
    }

    /// Reads the strings at `location` (variable- or fixed-length, any character set).
    func readStrings(_ location: HDF5Location) throws -> [String] {
        try withOpen(location) { handle, type, space in
            let n = Int(H5Sget_simple_extent_npoints(space))
            let cset = H5Tget_cset(type)
            if H5Tis_variable_str(type) > 0 {
                let memory = variableString(cset)
                defer { H5Tclose(memory) }
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
                try pointers.withUnsafeMutableBytes {
                    try read(location, handle, memory, $0.baseAddress ?? nonNull)
                }
                defer { for p in pointers { H5free_memory(p) } }
                return pointers.map { $0.map { String(cString: $0) } ?? "" }
            }
            let width = H5Tget_size(type) + 1  // room for the NUL after a full null-padded string
            let memory = H5Tcopy(h5s_c_s1())
            defer { H5Tclose(memory) }
            H5Tset_size(memory, width)
            H5Tset_cset(memory, cset)
            var bytes = [CChar](repeating: 0, count: n * width)
            try bytes.withUnsafeMutableBytes {
                try read(location, handle, memory, $0.baseAddress ?? nonNull)
            }
            return (0..<n).map { cBufferString(Array(bytes[$0 * width..<($0 + 1) * width])) }
        }
    }

    /// Creates `location` with `shape` ([] = scalar) and writes native `element` values into it.
    /// `gzip` (datasets only) stores one shuffle+deflate chunk of whole rows, at most 256 MiB.
    func write(
        _ location: HDF5Location, _ element: HDF5Element, shape: [Int], gzip: Int? = nil,
        _ bytes: UnsafeRawBufferPointer
    ) throws {
        let dcpl = H5Pcreate(h5s_dataset_create())
        defer { H5Pclose(dcpl) }
        H5Pset_obj_track_times(dcpl, false)
        let count = shape.reduce(1, *)
        if let level = gzip, !shape.isEmpty, count > 0 {
            var chunk = shape.map { hsize_t($0) }
            let rowBytes = count / shape[0] * element.byteWidth
            chunk[0] = hsize_t(max(1, min(shape[0], (256 << 20) / max(rowBytes, 1))))
            H5Pset_chunk(dcpl, Int32(shape.count), &chunk)
            H5Pset_shuffle(dcpl)
            H5Pset_deflate(dcpl, UInt32(level))
        }
        try create(
            location, element.types.file, element.types.memory, shape, dcpl, bytes.baseAddress)
    }

    /// Creates `location` with `shape` ([] = scalar) holding variable-length UTF-8 strings.
    func writeStrings(_ location: HDF5Location, _ values: [String], shape: [Int]) throws {
        let type = variableString(H5T_CSET_UTF8)
        defer { H5Tclose(type) }
        let pointers = values.map { strdup($0) }
        defer { for p in pointers { free(p) } }
        try pointers.withUnsafeBytes {
            try create(location, type, type, shape, hid_t(H5P_DEFAULT), $0.baseAddress)
        }
    }

    // MARK: - Helpers

    /// Opens `location`, runs `body` with its handle, stored type and dataspace, closes them.
    func withOpen<R>(
        _ location: HDF5Location, _ body: (hid_t, hid_t, hid_t) throws -> R
    ) throws -> R {
        h5s_silence()
        guard isOpen else {
            throw StorageError(.io, file: path, key: location.key, "file is closed")
        }
        guard exists(location) else {
            if isGroup(location.key) {
                throw StorageError(.wrongType, file: path, key: location.key, "is a group")
            }
            let what = location.isDataset ? "no such dataset" : "no such attribute"
            throw StorageError(.missingKey, file: path, key: location.key, what)
        }
        let handle: hid_t
        switch location {
        case .dataset(let name): handle = H5Dopen2(id, name, hid_t(H5P_DEFAULT))
        case .attribute(let name, let object):
            handle = H5Aopen_by_name(id, object, name, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        }
        guard handle >= 0 else { throw failure(.corrupt, location.key, "cannot open") }
        defer { _ = location.isDataset ? H5Dclose(handle) : H5Aclose(handle) }
        let type = location.isDataset ? H5Dget_type(handle) : H5Aget_type(handle)
        defer { H5Tclose(type) }
        let space = location.isDataset ? H5Dget_space(handle) : H5Aget_space(handle)
        defer { H5Sclose(space) }
        guard type >= 0, space >= 0 else { throw failure(.corrupt, location.key, "cannot open") }
        return try body(handle, type, space)
    }

    private func read(
        _ location: HDF5Location, _ handle: hid_t, _ memory: hid_t,
        _ buffer: UnsafeMutableRawPointer
    ) throws {
        let status =
            location.isDataset
            ? H5Dread(handle, memory, H5S_ALL, H5S_ALL, hid_t(H5P_DEFAULT), buffer)
            : H5Aread(handle, memory, buffer)
        guard status >= 0 else {
            throw failure(.corrupt, location.key, "cannot read data (truncated or corrupt file?)")
        }
    }

    /// Creates `location` (replacing an attribute, refusing to replace a dataset) and writes it.
    private func create(
        _ location: HDF5Location, _ fileType: hid_t, _ memoryType: hid_t, _ shape: [Int],
        _ dcpl: hid_t, _ bytes: UnsafeRawPointer?
    ) throws {
        h5s_silence()
        let key = location.key
        guard isOpen, isWritable else {
            let problem = isOpen ? "file is open for reading" : "file is closed"
            throw StorageError(.io, file: path, key: key, problem)
        }
        let space =
            shape.isEmpty
            ? H5Screate(H5S_SCALAR)
            : H5Screate_simple(Int32(shape.count), shape.map { hsize_t($0) }, nil)
        defer { H5Sclose(space) }
        let handle: hid_t
        switch location {
        case .dataset(let name):
            guard !contains(name) else {
                throw StorageError(.io, file: path, key: key, "already exists")
            }
            let lcpl = H5Pcreate(h5s_link_create())
            defer { H5Pclose(lcpl) }
            H5Pset_char_encoding(lcpl, H5T_CSET_UTF8)
            try createGroups(above: name, lcpl: lcpl)
            handle = H5Dcreate2(id, name, fileType, space, lcpl, dcpl, hid_t(H5P_DEFAULT))
        case .attribute(let name, let object):
            guard contains(object) else {
                throw StorageError(.missingKey, file: path, key: object, "no such object")
            }
            if exists(location) { H5Adelete_by_name(id, object, name, hid_t(H5P_DEFAULT)) }
            let d = hid_t(H5P_DEFAULT)
            handle = H5Acreate_by_name(id, object, name, fileType, space, d, d, d)
        }
        guard handle >= 0 else { throw failure(.io, key, "cannot create") }
        defer { _ = location.isDataset ? H5Dclose(handle) : H5Aclose(handle) }
        let data = bytes ?? UnsafeRawPointer(nonNull)
        let status =
            location.isDataset
            ? H5Dwrite(handle, memoryType, H5S_ALL, H5S_ALL, hid_t(H5P_DEFAULT), data)
            : H5Awrite(handle, memoryType, data)
        guard status >= 0 else { throw failure(.io, key, "cannot write") }
    }

    /// A name read through HDF5's two-call protocol (length first, then the characters).
    private func readName(
        _ object: String, _ index: hsize_t, _ get: (UnsafeMutablePointer<CChar>?, Int) -> Int
    ) throws -> String {
        let length = get(nil, 0)
        guard length >= 0 else { throw failure(.corrupt, object, "cannot read name \(index)") }
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = buffer.withUnsafeMutableBufferPointer { get($0.baseAddress, length + 1) }
        return cBufferString(buffer)
    }

    private func variableString(_ cset: H5T_cset_t) -> hid_t {
        let type = H5Tcopy(h5s_c_s1())
        H5Tset_size(type, -1)  // H5T_VARIABLE
        H5Tset_cset(type, cset)
        return type
    }

    /// An error for a failed HDF5 call, with HDF5's most specific message appended.
    func failure(_ kind: StorageError.Kind, _ key: String, _ problem: String)
        -> StorageError
    {
        StorageError(kind, file: path, key: key, problem + lastError())
    }
}

/// HDF5's most specific message for the last failure on this thread, as " (HDF5: ...)".
private func lastError() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    h5s_last_error(&buffer)
    let message = cBufferString(buffer)
    return message.isEmpty ? "" : " (HDF5: \(message))"
}

extension HDF5Element {
    /// The native type in memory and the little-endian type in the file (as h5py writes).
    fileprivate var types: (memory: hid_t, file: hid_t) {
        switch self {
        case .float32: (h5s_native_float(), h5s_ieee_f32le())
        case .float64: (h5s_native_double(), h5s_ieee_f64le())
        case .int32: (h5s_native_int32(), h5s_std_i32le())
        case .int64: (h5s_native_int64(), h5s_std_i64le())
        }
    }
}
