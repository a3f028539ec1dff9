import Testing

@testable import Results

@Suite struct ProgressBarTests {
    func makeBar(
        interactive: Bool, collect: @escaping (String) -> Void, clock: @escaping () -> Double
    ) -> ProgressBar {
        ProgressBar(
            label: "train", total: 10, interactive: interactive, plainInterval: 10,
            redrawInterval: 0.5,
            output: collect, clock: clock)
    }

    @Test func plainLinesAreRateLimitedForLogs() {
        var now = 0.0
        var out: [String] = []
        let bar = makeBar(interactive: false, collect: { out.append($0) }, clock: { now })
        now = 2; bar.update(1)
        now = 5; bar.update(2)  // too soon: no line
        now = 13; bar.update(5, status: "loss 0.5")
        now = 14; bar.finish()
        #expect(
            out == [
                "train [##......................] 10% 1/10 2.0s ETA 18.0s\n",
                "train [############............] 50% 5/10 13.0s ETA 13.0s loss 0.5\n",
                "train [########################] 100% 10/10 14.0s\n",
            ])
    }

    @Test func terminalRedrawsOneLine() {
        var now = 0.0
        var out: [String] = []
        let bar = makeBar(interactive: true, collect: { out.append($0) }, clock: { now })
        now = 1; bar.update(3)
        now = 1.1; bar.update(4)  // within the redraw interval: skipped
        now = 2; bar.finish()
        #expect(out.count == 3)
        #expect(out[0] == "\rtrain [#######.................] 30% 3/10 1.0s ETA 2.3s\u{1B}[K")
        #expect(out[1].hasPrefix("\rtrain [########################] 100% 10/10 2.0s"))
        #expect(out[2] == "\n")
    }

    @Test func durations() {
        #expect(ProgressBar.duration(42) == "42.0s")
        #expect(ProgressBar.duration(725) == "12m05s")
        #expect(ProgressBar.duration(11_220) == "3h07m")
        #expect(ProgressBar.duration(.nan) == "?")
    }
}
