import RealModule

// Elementwise exponential and logarithm.

/// e^x elementwise (PyTorch `torch.exp`; vectorised, within 2 ulp); backward reuses the result.
public func exp(_ x: Variable) -> Variable {
    var y = x.value
    y.withUnsafeMutableBufferPointer { yb in
        guard let yp = yb.baseAddress else { return }
        Parallel.forChunks((yb.count + 4095) / 4096, grain: 16) { blocks in
            let lo = blocks.lowerBound * 4096
            let hi = min(blocks.upperBound * 4096, yb.count)
            FastExp.apply(yp + lo, hi - lo)
        }
    }
    return Variable.record(y, inputs: [x]) { g, _ in [g.map(y) { $0 * $1 }] }
}

/// Natural logarithm elementwise (PyTorch `torch.log`): -inf at 0, NaN below.
public func log(_ x: Variable) -> Variable {
    let xv = x.value
    return Variable.record(xv.map { Float.log($0) }, inputs: [x]) { g, _ in
        [g.map(xv) { $0 / $1 }]
    }
}
