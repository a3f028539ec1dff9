import Foundation
import Storage
import Tensors

/// Everything needed to say where a number came from: code, configuration, seeds, toolchain,
/// machine and time. Written as manifest.json in every run folder (and into checkpoints).
///
/// Two runs with the same `fingerprint`, configuration hash, seed and commit are expected to be
/// bitwise identical (spec/harness.md, "Seeds and determinism").
public struct RunManifest: Codable, Sendable, Equatable {
    /// Layout version of this record.
    public var formatVersion = 1
    /// `git rev-parse HEAD` of the working directory, or "unknown".
    public var gitCommit: String
    /// True when tracked files differ from `gitCommit`.
    public var gitDirty: Bool
    /// The configuration as canonical JSON (`canonicalJSON`).
    public var configuration: String
    /// `stableHash(configuration)`.
    public var configurationHash: String
    /// The master seed every random stream derives from.
    public var seed: UInt64
    /// The named streams derived from `seed` by `RandomSource.split(name)`, with their stream ids.
    public var streams: [StreamRecord]
    /// The compiler that built the binary (compile-time ladder, e.g. "swiftc 6.3").
    public var compiler: String
    /// First line of `swift --version` at run time, or "unknown".
    public var toolchain: String
    /// `uname -srm`, e.g. "Linux 6.8.0-45-generic x86_64".
    public var kernel: String
    /// PRETTY_NAME of /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)".
    public var os: String
    /// CPU model name from /proc/cpuinfo.
    public var cpuModel: String
    /// The ISA flags of `SystemProbe.isaFlagsOfInterest` this CPU has.
    public var isaFlags: [String]
    /// Threads the run uses (OpenBLAS and the project's parallel loops).
    public var threads: Int
    /// `BLAS.config`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
    public var blasConfig: String
    /// `BLAS.coreName`, the kernel family that decides the bits of every GEMM.
    public var blasCore: String
    /// Who chose `blasCore`: OpenBLAS's detection, the user's OPENBLAS_CORETYPE, or the harness
    /// when the detection fell back to older kernels than the CPU supports (`BLAS.coreChoice`).
    public var blasCoreChoice: String?
    /// OPENBLAS_THREAD_TIMEOUT (the idle spin of OpenBLAS's workers, 2^N ticks) the run had;
    /// nil: OpenBLAS's default, 2^28. `repro` sets 4 unless the user set it (`BLAS.shortSpin`).
    public var blasThreadTimeout: String?
    /// The HDF5 library version used for checkpoints, e.g. "1.10.8".
    public var hdf5Version: String
    /// Host name (from uname).
    public var hostname: String
    /// ISO 8601 UTC start time.
    public var startedAt: String
    /// ISO 8601 UTC end time; nil while the run is going.
    public var endedAt: String?
    /// The process's command line.
    public var commandLine: [String]
    /// Hash of the facts that decide floating-point bits (see `fingerprint(...)`).
    public var fingerprint: String
    /// Per domain, the seeded labeled / unlabeled split of the training images (names as the
    /// data set's loader lists them); absent for runs without data splits.
    public var dataSplits: [DataSplitRecord]?
    /// Data-parallel runs: shards of each global batch (absent for 1) and processes.
    public var shards: Int?
    public var processes: Int?
    /// Data-parallel runs: how the models' batch norms treat the shards (per shard, or
    /// synchronized over the global batch).
    public var batchNorm: String?
    /// The pretrained backbone the run started from; absent when it started from scratch.
    public var pretrainedBackbone: PretrainedBackboneRecord?

    /// Records a data-parallel run: the shard count decides bits (batch-norm statistics per
    /// shard, sums grouped by shard), so it enters the fingerprint; the process count does
    /// not.
    public mutating func record(shards: Int, processes: Int, batchNorm: String) {
        guard shards > 1 || processes > 1 else { return }
        self.shards = shards
        self.processes = processes
        self.batchNorm = batchNorm
        if shards > 1 { fingerprint = stableHash("\(fingerprint)/shards \(shards)") }
    }

    /// Which pretrained backbone a run loaded (paper 1's `pretrain` setting, issue 14).
    public struct PretrainedBackboneRecord: Codable, Sendable, Equatable {
        /// "synthetic" (the harness's own pretraining) or the user's .h5 path.
        public var source: String
        /// The backbone file loaded, and its SHA-256.
        public var file: String
        public var sha256: String
        /// Synthetic: the pretext run's configuration (canonical JSON) and its hash.
        public var configuration: String?
        public var configurationHash: String?
        public init(
            source: String, file: String, sha256: String, configuration: String? = nil,
            configurationHash: String? = nil
        ) {
            self.source = source
            self.file = file
            self.sha256 = sha256
            self.configuration = configuration
            self.configurationHash = configurationHash
        }
    }

    /// One domain's labeled / unlabeled training images.
    public struct DataSplitRecord: Codable, Sendable, Equatable {
        public var domain: String
        public var labeled: [String]
        public var unlabeled: [String]
        public init(domain: String, labeled: [String], unlabeled: [String]) {
            self.domain = domain
            self.labeled = labeled
            self.unlabeled = unlabeled
        }
    }

    /// One named random stream of the run.
    public struct StreamRecord: Codable, Sendable, Equatable {
        /// The name given to `RandomSource.split(_:)`.
        public var name: String
        /// The resulting Philox stream id, 16 hex digits.
        public var id: String
    }

    /// Captures the manifest of a run starting now.
    ///
    /// - Parameters:
    ///   - config: the run's configuration; stored as canonical JSON and hashed.
    ///   - seed: the master seed.
    ///   - streams: names of the streams split from the master source (`RandomSource(seed:)`).
    ///   - threads: the thread count set with `Runtime.setThreads`.
    ///   - hdf5Version: the HDF5 library version; `HDF5File.libraryVersion` by default.
    ///   - directory: where to ask git for the commit; the current directory by default.
    public static func current(
        config: some Encodable, seed: UInt64, streams: [String], threads: Int,
        hdf5Version: String = HDF5File.libraryVersion,
        directory: String = FileManager.default.currentDirectoryPath, now: Date = Date()
    ) -> RunManifest {
        let configuration = canonicalJSON(config)
        let git = SystemProbe.git(at: directory)
        let cpu = SystemProbe.cpu
        let root = RandomSource(seed: seed)
        let records = streams.map { StreamRecord(name: $0, id: hex16(root.split($0).stream)) }
        return RunManifest(
            gitCommit: git.commit, gitDirty: git.dirty, configuration: configuration,
            configurationHash: stableHash(configuration), seed: seed, streams: records,
            compiler: SystemProbe.compiler, toolchain: SystemProbe.toolchainVersion,
            kernel: SystemProbe.uname, os: SystemProbe.osName, cpuModel: cpu.model,
            isaFlags: cpu.flags,
            threads: threads, blasConfig: BLAS.config, blasCore: BLAS.coreName,
            blasCoreChoice: BLAS.coreChoice, blasThreadTimeout: BLAS.spinSetting,
            hdf5Version: hdf5Version,
            hostname: SystemProbe.hostname, startedAt: iso8601(now), endedAt: nil,
            commandLine: CommandLine.arguments, fingerprint: machineFingerprint(threads: threads))
    }

    /// This machine's fingerprint at `threads` threads, without the slower probes (git, swift).
    public static func machineFingerprint(threads: Int) -> String {
        let cpu = SystemProbe.cpu
        return fingerprint(
            cpuModel: cpu.model, isaFlags: cpu.flags, blasConfig: BLAS.config,
            blasCore: BLAS.coreName,
            threads: threads, os: "\(SystemProbe.osName) \(SystemProbe.machine)",
            compiler: SystemProbe.compiler)
    }

    /// This manifest with `endedAt` set.
    public func finished(at date: Date = Date()) -> RunManifest {
        var copy = self
        copy.endedAt = iso8601(date)
        return copy
    }

    /// The machine fingerprint: `stableHash` of the facts that decide floating-point bits.
    ///
    /// CPU model and ISA flags (which kernels run), BLAS build and core type (GEMM blocking and
    /// summation order), thread count (OpenBLAS splits K differently), OS distribution and
    /// architecture (libm), and compiler. Kernel release and host name are left out: they do
    /// not change results, and leaving them out lets identical machines share bitwise goldens.
    public static func fingerprint(
        cpuModel: String, isaFlags: [String], blasConfig: String, blasCore: String, threads: Int,
        os: String, compiler: String
    ) -> String {
        let facts = [
            "cpu=\(cpuModel)", "isa=\(isaFlags.joined(separator: ","))", "blas=\(blasConfig)",
            "core=\(blasCore)", "threads=\(threads)", "os=\(os)", "compiler=\(compiler)",
        ]
        return stableHash(facts.joined(separator: "\n"))
    }
}

/// `date` as ISO 8601 in UTC with whole seconds, e.g. "2026-11-21T22:04:18Z".
public func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}
