import Foundation
import Tensors
import TestSupport
import Testing

@testable import Results

@Suite struct ManifestTests {
    struct Config: Codable { var cell = "single-supervised"; var epochs = 2 }

    @Test func currentCapturesNonEmptyFacts() throws {
        let m = RunManifest.current(
            config: Config(), seed: 0xDEAD_BEEF_0000_0001, streams: ["init", "data"], threads: 2,
            hdf5Version: "1.10.8")
        #expect(m.configuration == #"{"cell":"single-supervised","epochs":2}"#)
        #expect(m.configurationHash == stableHash(m.configuration))
        #expect(m.streams.map(\.name) == ["init", "data"])
        #expect(m.streams[1].id == hex16(RandomSource(seed: m.seed).split("data").stream))
        #expect(
            m.gitCommit == SystemProbe.unknown
                || (m.gitCommit.count == 40 && m.gitCommit.allSatisfy(\.isHexDigit)))
        for field in [
            m.compiler, m.toolchain, m.kernel, m.os, m.cpuModel, m.blasConfig, m.blasCore,
            m.hostname,
        ] {
            #expect(!field.isEmpty)
        }
        #expect(m.compiler.hasPrefix("swiftc"))
        #expect(m.blasCore != SystemProbe.unknown && m.blasConfig.contains("OpenBLAS"))
        #expect(m.threads == 2 && m.hdf5Version == "1.10.8")
        #expect(
            m.fingerprint.count == 16 && m.fingerprint == RunManifest.machineFingerprint(threads: 2)
        )
        #expect(m.startedAt.hasSuffix("Z") && m.endedAt == nil)
        #expect(!m.commandLine.isEmpty)
        #if os(Linux)
            #expect(m.cpuModel != SystemProbe.unknown && m.os != SystemProbe.unknown)
        #endif
        let done = m.finished(at: Date(timeIntervalSince1970: 0))
        #expect(done.endedAt == "1970-01-01T00:00:00Z")
    }

    @Test func manifestRoundTripsThroughJSON() throws {
        let m = RunManifest.current(
            config: Config(), seed: UInt64.max, streams: ["init"], threads: 1)
        let back = try canonicalJSONDecoder().decode(
            RunManifest.self, from: canonicalJSONData(m, pretty: true))
        #expect(back == m)
        // The default HDF5 version comes from the linked library: "major.minor.release".
        #expect(
            m.hdf5Version.split(separator: ".").count == 3
                && m.hdf5Version.allSatisfy { $0.isNumber || $0 == "." })
    }

    @Test func gitOutsideARepositoryIsUnknownNotACrash() throws {
        try withTemporaryDirectory { dir in
            let git = SystemProbe.git(at: dir.path)
            #expect(git.commit == SystemProbe.unknown && git.dirty == false)
        }
    }

    @Test func fingerprintDependsOnThreadsAndBLASCore() {
        func fp(threads: Int, core: String) -> String {
            RunManifest.fingerprint(
                cpuModel: "CPU", isaFlags: ["avx2", "fma"], blasConfig: "OpenBLAS 0.3.21",
                blasCore: core,
                threads: threads, os: "Debian x86_64", compiler: "swiftc 6.3")
        }
        #expect(fp(threads: 1, core: "Cooperlake") == fp(threads: 1, core: "Cooperlake"))
        #expect(fp(threads: 1, core: "Cooperlake") != fp(threads: 2, core: "Cooperlake"))
        #expect(fp(threads: 1, core: "Cooperlake") != fp(threads: 1, core: "Haswell"))
    }

    @Test func cpuInfoParsing() {
        let text = """
            processor\t: 0
            model name\t: AMD EPYC 9B14
            flags\t\t: fpu sse4_2 avx fma avx2 avx512f avx512bw
            processor\t: 1
            model name\t: AMD EPYC 9B14
            """
        let cpu = SystemProbe.parseCPUInfo(text)
        #expect(cpu.model == "AMD EPYC 9B14")
        #expect(cpu.flags == ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"])
    }

    @Test func osReleaseValue() {
        let text = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
        #expect(
            SystemProbe.value(of: "PRETTY_NAME", in: text, separator: "=")
                == "\"Debian GNU/Linux 12 (bookworm)\"")
    }
}
