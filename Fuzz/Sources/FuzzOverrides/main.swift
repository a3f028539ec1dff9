import CFuzzDriver
import Foundation
import Paper1
import Results
import Models

// `--set` overrides on arbitrary text (one per line) applied to a paper 1 configuration and
// validated; a configuration that validates must also build its backbone's shape without a
// precondition. Anything but a ConfigError or success is a finding.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let overrides = try text.split(separator: "\n").map { try Override(parsing: String($0)) }
        let config = try Override.apply(
            overrides, to: SegmentationConfig(setting: .multi, method: .semi))
        try config.validate()
        _ = ResNetConfig(
            blocks: config.blocks, outputStride: config.outputStride,
            widthDivisor: config.widthDivisor)
        _ = config.totalIterations
        _ = Int((1 / config.labeledFraction).rounded())
    } catch is ConfigError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) })
