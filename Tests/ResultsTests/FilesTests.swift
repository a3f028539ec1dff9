import Foundation
import TestSupport
import Testing

@testable import Results

@Suite struct FilesTests {
    static func paper1Log() -> LossLog {
        LossLog(seriesColumn: "domain", columns: ["epoch", "ce", "dc", "total", "lr"])
    }

    @Test func lossLogFormatAndRoundTrip() throws {
        var log = Self.paper1Log()
        log.append(
            LossRow(step: 1, series: "city", values: [0, 2.302585093, nil, 2.302585093, 0.01]))
        log.append(
            LossRow(step: 1, series: "bdd", values: [0, Double(Float(0.1)), 0.5, 0.6, 0.01]))
        #expect(
            log.csv == """
                step,domain,epoch,ce,dc,total,lr
                1,city,0,2.30258509,,2.30258509,0.01
                1,bdd,0,0.100000001,0.5,0.6,0.01

                """)
        let back = try LossLog.parse(log.csv, path: "losses.csv")
        #expect(back.csv == log.csv)
        #expect(back.rows[1].values[2] == 0.5 && back.rows[0].values[2] == nil)
        // 9 digits give the Float back exactly
        #expect(Float(back.rows[1].values[1]!) == Float(0.1))
        var cut = log
        cut.append(LossRow(step: 2, series: "city", values: [0, 1, nil, 1, 0.01]))
        cut.filter { $0.step < 2 }
        #expect(cut == log)
        #expect(log.curve("ce", series: "bdd").map(\.value) == [Double(Float(0.1))])
        #expect(log.seriesNames == ["city", "bdd"])
    }

    @Test func lossLogColumnsAreChosenByTheExperiment() throws {
        var gan = LossLog(seriesColumn: "net", columns: ["G_GAN", "G_feat", "D_real", "D_fake"])
        gan.append(LossRow(step: 0, series: "all", values: [1.5, 10, 0.8, nil]))
        let back = try LossLog.parse(gan.csv, path: "losses.csv")
        #expect(back.header == "step,net,G_GAN,G_feat,D_real,D_fake")
        #expect(back == gan)
    }

    @Test func lossLogErrorsNameFileAndLine() {
        #expect {
            try LossLog.parse(
                "step,domain,epoch,ce,dc,total,lr\n1,city,0,x,,1,0.1\n", path: "run/losses.csv")
        } throws: { error in
            "\(error)" == "run/losses.csv: line 2: bad number 'x' in '1,city,0,x,,1,0.1'"
        }
        #expect(throws: HarnessFileError.self) { try LossLog.parse("a,b\n", path: "x.csv") }
    }

    @Test func metricsFileIsSortedAndStable() throws {
        try withTemporaryDirectory { dir in
            let m = MetricsFile(
                cell: "multi-semi", configHash: "00ff", seed: 7, profile: "smoke",
                metrics: ["miou/synth": 0.5, "miou/bdd": 0.25, "miou/city": .nan],
                series: ["iou/bdd": [0.5, 0]],
                timings: ["train": 1.5])
            let json = m.json
            let bdd = json.range(of: "miou/bdd")!.lowerBound
            let city = json.range(of: "miou/city")!.lowerBound
            let synth = json.range(of: "miou/synth")!.lowerBound
            #expect(bdd < city && city < synth)
            #expect(json.contains("\"miou/city\" : \"nan\""))
            try m.write(to: dir.appendingPathComponent("metrics.json"))
            let back = try MetricsFile.read(from: dir.appendingPathComponent("metrics.json"))
            #expect(
                back.metrics["miou/city"]!.isNaN && back.metrics["miou/bdd"] == 0.25
                    && back.series == m.series)
            #expect(m.measurement.metrics.count == 3)
        }
    }

    @Test func runFolderWritesListsAndReads() throws {
        try withTemporaryDirectory { root in
            let date = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
            let first = try RunFolder.create(cell: "multi-semi-1a2b", root: root, date: date)
            let second = try RunFolder.create(cell: "multi-semi-1a2b", root: root, date: date)
            #expect(first.name == "20270115T080000Z-multi-semi-1a2b")
            #expect(second.name == "20270115T080000Z-multi-semi-1a2b-2")

            struct Config: Codable { var cell = "multi-semi" }
            let manifest = RunManifest.current(
                config: Config(), seed: 1, streams: ["init"], threads: 1)
            try first.write(manifest)
            try first.write(
                MetricsFile(
                    cell: "multi-semi", configHash: "h", seed: 1, profile: "smoke",
                    metrics: ["miou": 0.5]))
            var log = Self.paper1Log()
            log.append(LossRow(step: 0, series: "city", values: [0, 1, 2, 3, 0.01]))
            try first.write(log)

            #expect(try first.readManifest() == manifest)
            #expect(try first.readMetrics().metrics == ["miou": 0.5])
            #expect(try first.readLosses() == log)
            // Only folders with a manifest are runs; no temporary files are left behind.
            #expect(try RunFolder.list(root: root) == [first])
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: first.url.path).sorted()
                    == ["losses.csv", "manifest.json", "metrics.json"])
            #expect(try RunFolder.list(root: root.appendingPathComponent("absent")).isEmpty)
        }
    }

    @Test func missingFileErrorNamesIt() throws {
        try withTemporaryDirectory { dir in
            let folder = RunFolder(url: dir.appendingPathComponent("nothing"))
            #expect {
                try folder.readManifest()
            } throws: { error in
                "\(error)" == "\(folder.manifestURL.path): file does not exist"
            }
        }
    }
}
