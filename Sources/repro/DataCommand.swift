import ArgumentParser
import Data
import Foundation
import Tensors

/// `repro data`: data sets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Generate and inspect data sets.", subcommands: [Synth.self])

    /// `repro data synth`: the synthetic multi-domain street scenes in the real layouts.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write synthetic street scenes as Cityscapes (city), Synscapes (synth) and BDD100K (bdd) data sets.",
            discussion: """
                Layouts under --out: cityscapes/{leftImg8bit,gtFine}/{train,val}/{city}/..., \
                synscapes/{train,val}/{img/{rgb,class,instance},meta}/{i}, \
                bdd100k/{images/10k,labels/sem_seg/masks}/{train,val}/{name}. \
                Every scene is a pure function of (domain, split, index, seed, size).
                """)

        @Option(help: "Output folder.")
        var out: String
        @Option(help: "Domains, comma separated: city, synth, bdd.")
        var domains = "city,synth,bdd"
        @Option(help: "Training images per domain.")
        var train = 64
        @Option(help: "Validation images per domain.")
        var val = 16
        @Option(help: "Image height in pixels.")
        var height = 128
        @Option(help: "Image width in pixels.")
        var width = 256
        @Option(help: "Seed of all random choices.")
        var seed: UInt64 = 0
        @Option(help: "Worker threads.")
        var threads = 1
        @Flag(help: "Also write a picture sheet per domain (sheets/{domain}.png).")
        var sheet = false

        var parsedDomains: [SceneDomain]? {
            let ds = domains.split(separator: ",").map {
                SceneDomain(rawValue: $0.trimmingCharacters(in: .whitespaces))
            }
            return ds.isEmpty || ds.contains(nil) ? nil : ds.map { $0! }
        }

        func validate() throws {
            guard parsedDomains != nil else {
                throw ValidationError("--domains \(domains): expected names from city, synth, bdd")
            }
            guard train >= 0, val >= 0 else {
                throw ValidationError("--train and --val must be >= 0")
            }
            guard height >= 8, width >= 8 else {
                throw ValidationError("--height and --width must be >= 8")
            }
            guard threads >= 1 else { throw ValidationError("--threads must be >= 1") }
        }

        func run() throws {
            var o = SyntheticData.Options(out: out)
            o.domains = parsedDomains!
            (o.train, o.val, o.height, o.width, o.seed, o.sheet) = (
                train, val, height, width, seed, sheet
            )
            Parallel.threads = threads
            let start = Date()
            try SyntheticData.write(o) { domain, split, done, total in
                let line = "\u{1B}[2K\r[data] \(domain.rawValue) \(split) \(done)/\(total)"
                FileHandle.standardError.write(Data(line.utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
            let seconds = Date().timeIntervalSince(start)
            let n = o.domains.count * (train + val)
            print(
                "wrote \(n) scenes of \(height)x\(width) to \(out) in \(String(format: "%.2f", seconds)) s"
            )
            for d in o.domains {
                print("  \(d.rawValue): \(SyntheticData.root(d, out: out))")
                if sheet { print("  sheet: \(SyntheticData.sheetPath(d, out: out))") }
            }
        }
    }
}
