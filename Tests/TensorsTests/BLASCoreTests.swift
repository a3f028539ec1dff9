import Foundation
import Testing

@testable import Tensors

@Suite struct BLASCoreTests {
    static let avx512: Set<String> = [
        "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq",
        "avx512vl",
    ]

    @Test func aFallbackOnAnAVX512CPUSwitchesToTheAVX512Kernels() {
        #expect(BLASCore.preferred(detected: "Prescott", flags: Self.avx512) == "SkylakeX")
        #expect(
            BLASCore.preferred(detected: "Prescott", flags: Self.avx512.union(["avx512_bf16"]))
                == "Cooperlake")
        #expect(BLASCore.preferred(detected: "Sandybridge", flags: Self.avx512) == "SkylakeX")
    }

    @Test func aFallbackOnAnAVX2CPUSwitchesToHaswell() {
        #expect(
            BLASCore.preferred(detected: "Prescott", flags: ["avx", "avx2", "fma"]) == "Haswell")
        // AVX2 without FMA is not Haswell's instruction set: nothing is switched.
        #expect(BLASCore.preferred(detected: "Prescott", flags: ["avx", "avx2"]) == nil)
    }

    @Test func aDetectionThatMatchesTheCPUIsKept() {
        #expect(BLASCore.preferred(detected: "Cooperlake", flags: Self.avx512) == nil)
        #expect(BLASCore.preferred(detected: "SkylakeX", flags: Self.avx512) == nil)
        #expect(BLASCore.preferred(detected: "Zen", flags: ["avx", "avx2", "fma"]) == nil)
        #expect(BLASCore.preferred(detected: "Prescott", flags: ["sse3"]) == nil)
        #expect(BLASCore.preferred(detected: "Haswell", flags: []) == nil)
    }

    /// The process's choice is recorded, and the core OpenBLAS runs is at the CPU's tier
    /// unless the user chose one.
    @Test func theChoiceIsMadeAndRecorded() {
        let choice = BLAS.coreChoice
        #expect(!choice.isEmpty)
        if getenv("OPENBLAS_CORETYPE") == nil && !choice.hasPrefix("OPENBLAS_CORETYPE") {
            let cpu = BLASCore.tier(flags: BLASCore.cpuFlags())
            let tierOfCore = BLASCore.tier(core: BLAS.coreName)
            #expect(tierOfCore >= min(cpu, 3) || cpu < 2, "\(BLAS.coreName) on a tier-\(cpu) CPU")
        }
    }
}
