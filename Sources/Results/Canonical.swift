import Foundation

// Canonical JSON and a stable hash: the two functions behind configuration hashes, cell ids,
// golden files and run manifests. Both give the same text on every machine and every run.

/// `value` as compact JSON with sorted keys and unescaped slashes: equal values give equal text.
///
/// Non-finite numbers are written as the strings "nan", "inf" and "-inf" (plain JSON has no
/// such numbers), so encoding never fails for floating-point reasons. Numbers use the
/// encoder's shortest round-trip form, so a `Double` read back is bit-for-bit the one written.
public func canonicalJSON(_ value: some Encodable) -> String {
    String(decoding: canonicalJSONData(value, pretty: false), as: UTF8.self)
}

/// `value` as canonical JSON bytes; `pretty` adds indentation (for files people read and diff).
public func canonicalJSONData(_ value: some Encodable, pretty: Bool) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
        pretty
        ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        : [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
        var data = try encoder.encode(value)
        if pretty { data.append(UInt8(ascii: "\n")) }
        return data
    } catch {
        // Only a custom `encode(to:)` that throws can get here: a programming error.
        preconditionFailure("canonicalJSON: cannot encode \(type(of: value)): \(error)")
    }
}

/// A decoder that reads what `canonicalJSON` writes (including "nan", "inf", "-inf").
public func canonicalJSONDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
}

/// 64-bit FNV-1a of the UTF-8 bytes of `string`, as 16 lower-case hex digits.
///
/// FNV-1a (Fowler, Noll, Vo): `h = 0xcbf29ce484222325; for b in bytes { h = (h ^ b) * 0x100000001b3 }`.
/// Not cryptographic; it names configurations and cells, where a collision among a few thousand
/// ids has a probability of about 1e-13.
public func stableHash(_ string: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in string.utf8 {
        h ^= UInt64(byte)
        h = h &* 0x0000_0100_0000_01b3
    }
    return hex16(h)
}

/// The stable hash of `value`'s canonical JSON: the id of a configuration or a cell.
public func stableHash(of value: some Encodable) -> String {
    stableHash(canonicalJSON(value))
}

/// `value` as 16 lower-case hex digits.
func hex16(_ value: UInt64) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
