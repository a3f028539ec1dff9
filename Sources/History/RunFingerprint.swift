import Foundation
import Results
import Storage

/// A 64-bit fingerprint of the bits a run produced: its loss log, every dataset of its
/// checkpoints (walked in name order) and its metrics. Manifests and time stamps are left out,
/// so two bitwise-identical runs have the same fingerprint whenever and wherever they ran.
public enum RunFingerprint {
    /// The fingerprint of run folder `folder`, 16 hex digits.
    public static func of(_ folder: RunFolder) throws -> String {
        var hash = FNV1a()
        hash.add(Array(try ResultFile.read(folder.lossesURL)))
        for path in folder.checkpointPaths() {
            hash.add(Array(URL(fileURLWithPath: path).lastPathComponent.utf8))
            let file = try HDF5File(reading: path)
            try add(file, group: "/", to: &hash)
        }
        let metrics = try folder.readMetrics()
        for key in metrics.metrics.keys.sorted() {
            hash.add(Array(key.utf8))
            hash.add(metrics.metrics[key]!.bitPattern)
        }
        for key in metrics.series.keys.sorted() {
            hash.add(Array(key.utf8))
            for v in metrics.series[key]! { hash.add(v.bitPattern) }
        }
        return hash.hex
    }

    private static func add(_ file: HDF5File, group: String, to hash: inout FNV1a) throws {
        for name in try file.names(in: group) {
            let path = group == "/" ? name : "\(group)/\(name)"
            hash.add(Array(path.utf8))
            if file.isGroup(path) {
                try add(file, group: path, to: &hash)
            } else if let t = try? file.tensor(path) {
                for d in t.shape { hash.add(UInt64(d)) }
                for v in t.data { hash.add(UInt64(v.bitPattern)) }
            } else {
                for v in try file.int64s(path).values { hash.add(UInt64(bitPattern: v)) }
            }
        }
    }
}

/// 64-bit FNV-1a over bytes (the same function as `stableHash`, fed incrementally).
struct FNV1a {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        add(UInt64(bytes.count))  // a separator, so ("ab", "c") and ("a", "bc") differ
    }

    mutating func add(_ word: UInt64) {
        var w = word
        for _ in 0..<8 {
            h ^= w & 0xff
            h = h &* 0x0000_0100_0000_01b3
            w >>= 8
        }
    }

    var hex: String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
