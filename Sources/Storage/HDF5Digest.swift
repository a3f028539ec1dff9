import Foundation

/// The content digest of the HDF5 files the harness writes, checked before libhdf5 sees a byte.
///
/// Debian's libhdf5 1.10.8 does not checksum the metadata h5py-compatible files use, and some
/// damaged metadata crashes it (an invalid `free` under `H5Lget_name_by_idx`) instead of
/// failing. So every file `HDF5File.create` writes starts with a 512-byte HDF5 user block
/// (which HDF5 readers, h5py included, skip) holding `REPRO-SHA256 <hex>\n`: the SHA-256 of
/// every byte after the block (`tail -c +513 file.h5 | sha256sum`). Opening verifies it, so a
/// damaged or truncated file written here is refused with a clear error before HDF5 parses it.
/// A file without a user block (h5py, PyTorch conversions) has no digest and is read as is.
/// The digest detects damage, not forgery (anyone can recompute it), so it does not replace
/// the child-process copy every file is read through (HDF5+Checks.swift): libFuzzer learned to
/// write matching digests into damaged files, which then crashed libhdf5 1.10.8 in-process.
enum HDF5Digest {
    /// The user block size (the smallest HDF5 allows).
    static let blockSize = 512
    static let magic = Array("REPRO-SHA256 ".utf8)
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Whether `path` carries a digest (true) or is a plain HDF5 file (false); a digest that
    /// does not match, or a user block that is not one, is an error naming the file.
    static func verify(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StorageError(.io, file: path, "cannot open for reading")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: blockSize + signature.count)) ?? Data())
        if head.starts(with: signature) { return false }
        let signed =
            head.count == blockSize + signature.count
            && head[blockSize...].elementsEqual(signature)
        guard head.starts(with: magic) && signed else {
            if signed || head.starts(with: magic) {
                throw StorageError(
                    .corrupt, file: path,
                    "damaged: repro's content digest header or the HDF5 signature after it "
                        + "is broken")
            }
            throw StorageError(
                .wrongFormat, file: path,
                "not an HDF5 file (no HDF5 signature at byte 0, nor after a digest header)")
        }
        try handle.seek(toOffset: UInt64(blockSize))
        let recorded = String(decoding: head[magic.count..<magic.count + 64], as: UTF8.self)
        guard head[magic.count + 64] == 0x0a,
            head[magic.count + 65..<blockSize].allSatisfy({ $0 == 0 })
        else {
            throw StorageError(
                .corrupt, file: path, "damaged: repro's content digest header is broken")
        }
        var hash = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hash.update($0) }
        }
        let actual = hash.finish()
        guard actual == recorded else {
            throw StorageError(
                .corrupt, file: path,
                "content digest mismatch (recorded \(recorded.prefix(16))…, found "
                    + "\(actual.prefix(16))…): the file was damaged, truncated or changed after "
                    + "it was written")
        }
        return true
    }

    /// Writes the digest header into the user block of the finished file at `path`.
    static func stamp(_ path: String) throws {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw StorageError(.io, file: path, "cannot reopen to record its content digest")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(blockSize))
            var hash = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hash.update($0) }
            }
            var block = magic + Array(hash.finish().utf8) + [0x0a]
            block += [UInt8](repeating: 0, count: blockSize - block.count)
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: Data(block))
        } catch {
            throw StorageError(.io, file: path, "cannot record its content digest: \(error)")
        }
    }
}
