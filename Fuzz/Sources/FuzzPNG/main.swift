import CFuzzDriver
import Foundation
import ImageCodecs

// PNG.decode on arbitrary bytes, plain and as each map layout: any outcome but a thrown
// ImageFileError or a consistent image is a finding.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for layout in [nil, PNGLayout.gray8, .gray16, .rgb8] {
        do {
            let image =
                try layout.map { try PNG.decode(bytes, name: "fuzz", layout: $0, what: "map") }
                ?? PNG.decode(bytes, name: "fuzz")
            let samples = image.bitDepth == 16 ? image.samples16.count : image.samples8.count
            guard samples == image.width * image.height * image.channels else {
                fatalError("inconsistent image \(image.width)x\(image.height)x\(image.channels)")
            }
        } catch is ImageFileError {
        } catch {
            fatalError("unexpected error type: \(error)")
        }
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) })
