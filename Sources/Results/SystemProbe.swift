import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the machine, the toolchain and the checkout, read once for a run manifest.
///
/// Every probe degrades to "unknown" (never a crash) when its source is absent: no git, no
/// `/proc/cpuinfo` (macOS), no `/etc/os-release`, no `swift` on the PATH.
public enum SystemProbe {
    /// The value recorded when a fact cannot be read.
    public static let unknown = "unknown"

    /// The ISA flags worth recording (they decide which kernels run), in this fixed order.
    public static let isaFlagsOfInterest = [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl",
        "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "neon", "asimd", "sve",
    ]

    /// The compiler and build configuration that built this binary, e.g. "swiftc 6.3 (release)".
    ///
    /// Swift has no literal for the full compiler version, so this is "swiftc >= 6.3" style:
    /// the exact release ("6.3.1") is in `toolchainVersion` when `swift` is on the PATH at run time.
    /// The configuration is part of it because debug and release builds compute different bits
    /// (swift-numerics' relaxed arithmetic is reassociated only when optimising).
    public static var compiler: String {
        #if DEBUG
            "\(compilerVersion) (debug)"
        #else
            "\(compilerVersion) (release)"
        #endif
    }

    static var compilerVersion: String {
        #if compiler(>=6.5)
            return "swiftc >= 6.5"
        #elseif compiler(>=6.4)
            return "swiftc 6.4"
        #elseif compiler(>=6.3)
            return "swiftc 6.3"
        #elseif compiler(>=6.2)
            return "swiftc 6.2"
        #elseif compiler(>=6.1)
            return "swiftc 6.1"
        #else
            return "swiftc < 6.1"
        #endif
    }

    /// The first line of `swift --version` at run time (may differ from the building compiler);
    /// asked once per process.
    public static let toolchainVersion: String = {
        guard let out = run(["swift", "--version"]) else { return unknown }
        return out.split(separator: "\n").first.map(String.init) ?? unknown
    }()

    /// `(commit, dirty)` of the git checkout containing `directory`; ("unknown", false) without git.
    ///
    /// Dirty means tracked files differ from HEAD (`git status --porcelain --untracked-files=no`):
    /// untracked files such as result folders do not count.
    public static func git(at directory: String) -> (commit: String, dirty: Bool) {
        guard let head = run(["git", "-C", directory, "rev-parse", "HEAD"]),
            !head.isEmpty
        else { return (unknown, false) }
        let status = run(["git", "-C", directory, "status", "--porcelain", "--untracked-files=no"])
        return (head.trimmingCharacters(in: .whitespacesAndNewlines), !(status ?? "").isEmpty)
    }

    /// `uname -srm` (kernel name, release, machine), e.g. "Linux 6.8.0 x86_64".
    public static var uname: String {
        let u = unameFields()
        return [u.sysname, u.release, u.machine].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The host name from `uname` (no DNS lookup).
    public static var hostname: String {
        let name = unameFields().nodename
        return name.isEmpty ? unknown : name
    }

    /// The machine architecture from `uname` ("x86_64", "aarch64", "arm64").
    public static var machine: String {
        let m = unameFields().machine
        return m.isEmpty ? unknown : m
    }

    /// `PRETTY_NAME` from /etc/os-release (e.g. "Debian GNU/Linux 12 (bookworm)").
    public static var osName: String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else {
            return unknown
        }
        return value(of: "PRETTY_NAME", in: text, separator: "=")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) } ?? unknown
    }

    /// CPU model name and the recorded ISA flags, from /proc/cpuinfo.
    public static var cpu: (model: String, flags: [String]) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return (unknown, [])
        }
        return parseCPUInfo(text)
    }

    /// Parses /proc/cpuinfo text: the first `model name` and the flags of interest that occur.
    static func parseCPUInfo(_ text: String) -> (model: String, flags: [String]) {
        let model = value(of: "model name", in: text, separator: ":") ?? unknown
        let present = Set(
            (value(of: "flags", in: text, separator: ":")
                ?? value(of: "Features", in: text, separator: ":") ?? "")
                .split(separator: " ").map(String.init))
        return (model, isaFlagsOfInterest.filter { present.contains($0) })
    }

    /// The value of the first `key<sep>value` line of `text`, trimmed.
    static func value(of key: String, in text: String, separator: Character) -> String? {
        for line in text.split(separator: "\n") {
            guard let sep = line.firstIndex(of: separator) else { continue }
            if line[..<sep].trimmingCharacters(in: .whitespaces) == key {
                return line[line.index(after: sep)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    private static func unameFields() -> (
        sysname: String, nodename: String, release: String, machine: String
    ) {
        var u = utsname()
        guard callUname(&u) == 0 else { return ("", "", "", "") }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return (text(u.sysname), text(u.nodename), text(u.release), text(u.machine))
    }

    /// Runs `arguments` through /usr/bin/env; its stdout when it exits with status 0, else nil.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `uname(2)`, out of `SystemProbe`, whose `uname` property would shadow it.
private func callUname(_ u: inout utsname) -> Int32 {
    uname(&u)
}
