internal import CHDF5
import FileIO
import Foundation

/// What a stored dataset or attribute declares, checked before anything is allocated for it:
/// a shape whose size is computed with overflow checks and bounded, and (for datasets) stored
/// bytes that justify the declared size, so a damaged or hostile file cannot make a reader
/// trap or allocate more memory than the file could hold.
extension HDF5File {
    /// The largest dataset read in one piece, in bytes (4 GiB; ResNet-50's largest tensor is
    /// under 10 MiB).
    public static let maxDatasetBytes = 1 << 32
    /// The largest attribute, in values.
    public static let maxAttributeValues = 1 << 20
    /// Deflate expands at most about 1032:1, so a filtered dataset cannot justify more.
    static let maxInflation = 1100

    /// A copy of `path` (every file read, with repro's digest or without), made in a child process
    /// (CHDF5/probe.h) so that libhdf5 never parses the original in this process: a file that
    /// crashes or hangs libhdf5, or any part of which it cannot read, is refused with an error
    /// naming the part. The caller opens the copy and removes it.
    static func sanitizedCopy(_ path: String) throws -> String {
        let copy = NSTemporaryDirectory() + "repro-\(getpid())-\(UUID().uuidString.prefix(8)).h5"
        var signal: Int32 = 0
        var failed = [CChar](repeating: 0, count: 256)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let limit = try probeTimeLimit(bytes: size, file: path)
        let status = Int(h5s_sanitize(path, copy, UInt32(limit * 1000), &signal, &failed))
        if status == H5S_PROBE_OK { return copy }
        unlink(copy)
        let key = cBufferString(failed)
        switch status {
        case H5S_PROBE_CRASHED:
            throw StorageError(
                .corrupt, file: path,
                "damaged HDF5 metadata: libhdf5 crashed (signal \(signal)) reading it in a "
                    + "separate process")
        case H5S_PROBE_TIMEOUT:
            throw StorageError(
                .corrupt, file: path,
                "damaged HDF5 metadata: reading it did not finish in \(limit) s (libhdf5 loops "
                    + "on some damaged files; raise \(probeTimeoutVariable) for a slow disk)")
        default:
            guard !key.isEmpty && key != "/" else {
                throw StorageError(.corrupt, file: path, "HDF5 file is truncated or corrupt")
            }
            throw StorageError(
                .corrupt, file: path, key: String(key.drop { $0 == "/" }),
                "damaged HDF5 file: libhdf5 cannot read this part, or it declares more data "
                    + "than it stores")
        }
    }

    /// The environment variable that sets the base time limit of the copy, in seconds.
    public static let probeTimeoutVariable = "REPRO_HDF5_PROBE_TIMEOUT"

    /// The wall-clock limit, in seconds, for copying a file of `bytes`: a base (10 s, or
    /// `REPRO_HDF5_PROBE_TIMEOUT` when that is a positive number: the fuzz targets set a
    /// fraction of a second) plus 1 s per 2 MB. A healthy copy takes a fraction of that;
    /// libhdf5 loops forever on some damaged metadata.
    static func probeTimeLimit(bytes: Int, file: String) throws -> Double {
        var base = 10.0
        if let text = ProcessInfo.processInfo.environment[probeTimeoutVariable] {
            guard let value = Double(text), value >= 0.001, value <= 3600 else {
                throw StorageError(
                    .io, file: file,
                    "\(probeTimeoutVariable)=\(text) is not a time limit in seconds "
                        + "(0.001 to 3600)")
            }
            base = value
        }
        return min(base + Double(bytes / (2 << 20)), 4_000_000)
    }

    /// The stored element class, width and shape at `location`, validated.
    func info(_ location: HDF5Location) throws -> HDF5DataInfo {
        try withOpen(location) { handle, type, space in
            let kind: HDF5DataInfo.Kind
            switch H5Tget_class(type) {
            case H5T_FLOAT: kind = .float
            case H5T_INTEGER: kind = .integer
            case H5T_STRING: kind = .string
            default: kind = .other
            }
            let width = H5Tget_size(type)
            guard width > 0 else { throw failure(.corrupt, location.key, "unreadable type") }
            let isNull = H5Sget_simple_extent_type(space) == H5S_NULL
            let shape = isNull ? [0] : try extent(space, location)
            let count = try checkedCount(shape, width: width, location)
            if case .dataset = location {
                try checkStorage(handle, count: count, width: width, location)
            }
            return HDF5DataInfo(kind: isNull ? .other : kind, byteWidth: width, shape: shape)
        }
    }

    /// The dimensions of `space`, each representable as Int.
    private func extent(_ space: hid_t, _ location: HDF5Location) throws -> [Int] {
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard (0...32).contains(rank) else {
            throw failure(.corrupt, location.key, "unreadable dataspace (rank \(rank))")
        }
        var dims = [hsize_t](repeating: 0, count: rank)
        guard H5Sget_simple_extent_dims(space, &dims, nil) == Int32(rank) else {
            throw failure(.corrupt, location.key, "unreadable dataspace")
        }
        return try dims.map { d in
            guard let n = Int(exactly: d) else {
                throw StorageError(
                    .wrongShape, file: path, key: location.key,
                    "declares a dimension of \(d), larger than any file could hold")
            }
            return n
        }
    }

    /// The number of values of `shape`, checked for overflow and against the bounds.
    private func checkedCount(_ shape: [Int], width: Int, _ location: HDF5Location) throws
        -> Int
    {
        var count = 1
        var overflow = false
        for d in shape {
            (count, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { break }
        }
        let bytes = count.multipliedReportingOverflow(by: max(width, 8))
        let limit = location.isDataset ? Self.maxDatasetBytes : Self.maxAttributeValues * 8
        guard !overflow, !bytes.overflow, bytes.partialValue <= limit else {
            throw StorageError(
                .wrongShape, file: path, key: location.key,
                "declared shape \(shape) is too large to read (limit \(limit) bytes)")
        }
        return count
    }

    /// A dataset's stored bytes must hold its declared values (at most `maxInflation` times
    /// fewer when compressed): an unwritten or truncated dataset is refused.
    private func checkStorage(_ handle: hid_t, count: Int, width: Int, _ location: HDF5Location)
        throws
    {
        let stored = Int(clamping: H5Dget_storage_size(handle))
        let plist = H5Dget_create_plist(handle)
        defer { H5Pclose(plist) }
        let filtered = plist >= 0 && H5Pget_nfilters(plist) > 0
        let needed = count * width  // bounded by checkedCount
        let justified =
            filtered
            ? stored.multipliedReportingOverflow(by: Self.maxInflation).partialValue
            : stored
        guard needed <= justified || (filtered && stored > Int.max / Self.maxInflation) else {
            throw StorageError(
                .corrupt, file: path, key: location.key,
                "declares \(count) values (\(needed) bytes) but stores only \(stored) bytes")
        }
    }
}
