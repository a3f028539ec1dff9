import Foundation
import Testing

@testable import Results

@Suite struct CanonicalTests {
    struct Config: Codable {
        var name: String
        var path: String
        var lr: Double
        var widths: [Int]
        var domains: [String: Int]
    }

    let config = Config(
        name: "multi-semi", path: "results/golden", lr: 0.01, widths: [8, 16],
        domains: ["synth": 2, "bdd": 3, "city": 1])

    @Test func canonicalJSONSortsKeysAndKeepsSlashes() {
        #expect(
            canonicalJSON(config)
                == #"{"domains":{"bdd":3,"city":1,"synth":2},"lr":0.01,"name":"multi-semi","path":"results/golden","widths":[8,16]}"#
        )
    }

    @Test func fnv1aMatchesPublishedValues() {
        // Reference values of 64-bit FNV-1a (Fowler/Noll/Vo test vectors).
        #expect(stableHash("") == "cbf29ce484222325")
        #expect(stableHash("a") == "af63dc4c8601ec8c")
        #expect(stableHash("foobar") == "85944171f73967e8")
    }

    @Test func configHashIsStable() {
        // Hard-coded: a change here means every stored config hash and cell id changes.
        #expect(stableHash(of: config) == stableHash(canonicalJSON(config)))
        #expect(stableHash(of: config) == "2ae6425c1bd784f4")
    }

    @Test func doublesRoundTripBitForBit() throws {
        let values = [
            0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -0.0, Double.leastNonzeroMagnitude, .nan,
            .infinity, -.infinity,
        ]
        let text = canonicalJSON(values)
        #expect(text.contains("\"nan\"") && text.contains("\"-inf\""))
        let back = try canonicalJSONDecoder().decode([Double].self, from: Data(text.utf8))
        #expect(back.count == values.count)
        for (a, b) in zip(values, back) {
            #expect(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN), "\(a) came back as \(b)")
        }
    }
}
