import Tensors

/// Samples everything that stands in the street: parked rows, traffic, people, riders, poles,
/// trees and barriers. Counts scale with `look.density`.
func samplePopulation(_ s: StreetLayout, look: Look, rng: inout RandomSource) -> [Drawable] {
    var out: [Drawable] = []
    func add(_ depth: Float, _ draw: @escaping (inout Painter) -> Void) {
        out.append(Drawable(depth: depth, draw: draw))
    }
    func count(_ base: Float) -> Int {
        // Poisson-like count: base scaled by density, with a random fractional part.
        let m = base * look.density
        return Int(m) + (rng.uniform() < m - Float(Int(m)) ? 1 : 0)
    }
    let palette = Vehicle.carPalette
    func paint() -> Color { palette[rng.int(below: palette.count)] * rng.uniform(0.8, 1.1) }

    // Rows of parked cars touching each other along the kerbs.
    for side: Float in [-1, 1] {
        guard rng.bernoulli(0.55 + 0.2 * (look.density - 1)) else { continue }
        let kerb = side > 0 ? s.roadRight : s.roadLeft
        var z = rng.uniform(3, 12)
        let rows = count(1.5)
        for _ in 0..<max(1, rows) {
            let n = rng.int(in: 2...6)
            for _ in 0..<n {
                let length = rng.uniform(3.8, 4.8), width = rng.uniform(1.7, 1.9)
                if s.inCrossing(z, margin: 3) || s.inCrossing(z + length, margin: 3) { break }
                let x0 = side > 0 ? kerb - 0.25 - width : kerb + 0.25
                let car = Vehicle(
                    kind: .car, x0: x0, x1: x0 + width, z0: z, z1: z + length, paint: paint(),
                    rearView: side > 0 || rng.bernoulli(0.5), accent: .zero)
                add(z) { p in car.draw(&p) }
                z += length + (rng.bernoulli(0.6) ? 0 : rng.uniform(0.1, 0.8))
            }
            z += rng.uniform(4, 25)
        }
    }
    // Moving traffic in the lanes (ours drives away from us; the left lanes come towards us
    // on two-way streets).
    let centers = s.laneCenters
    let twoWay = s.lanes >= 2 && rng.bernoulli(0.6)
    var occupied: [(lane: Int, z0: Float, z1: Float)] = []
    for _ in 0..<count(2.5) {
        let lane = rng.int(below: centers.count)
        let oncoming = twoWay && lane < centers.count / 2
        let r = rng.uniform()
        let kind: Vehicle.Kind = r < 0.72 ? .car : r < 0.85 ? .truck : r < 0.96 ? .bus : .train
        let (width, length): (Float, Float) =
            switch kind {
            case .car: (rng.uniform(1.7, 1.95), rng.uniform(3.9, 4.9))
            case .truck: (2.4, rng.uniform(6.5, 9))
            case .bus: (2.5, rng.uniform(11, 13))
            case .train: (2.5, 25)
            }
        let z = rng.uniform(kind == .car ? 7 : 12, 70)
        if occupied.contains(where: { $0.lane == lane && z < $0.z1 + 2 && z + length + 2 > $0.z0 })
        {
            continue
        }
        occupied.append((lane, z, z + length))
        let x = centers[lane] + rng.uniform(-0.3, 0.3)
        let v = Vehicle(
            kind: kind, x0: x - width / 2, x1: x + width / 2, z0: z, z1: z + length,
            paint: kind == .bus
                ? (rng.bernoulli(0.5) ? Color(0.85, 0.75, 0.15) : Color(0.15, 0.35, 0.65))
                : paint(),
            rearView: !oncoming, accent: Color(repeating: rng.uniform(0.6, 0.9)))
        add(z) { p in v.draw(&p) }
    }
    // Pedestrians on the sidewalks, alone and in groups; some cross at the zebra.
    let walks: [(Float, Float)] = [
        (s.walkLeft + 0.4, s.roadLeft - 0.4), (s.roadRight + 0.4, s.walkRight - 0.4),
    ]
    for _ in 0..<count(4) {
        let (a, b) = walks[rng.int(below: 2)]
        let z = rng.uniform(4, 55)
        let members = rng.bernoulli(0.45) ? rng.int(in: 2...5) : 1
        let x = rng.uniform(a, b)
        for m in 0..<members {
            let person = Person(
                x: x + Float(m) * rng.uniform(0.45, 0.7) * (x > 0 ? -1 : 1),
                z: z + rng.uniform(-0.4, 0.4) + Float(m) * 0.1,
                height: rng.uniform(1.55, 1.95), outfit: Outfit.sample(&rng),
                stride: rng.uniform(-1, 1))
            add(person.z) { p in person.draw(&p) }
        }
    }
    if let c = s.crossing, rng.bernoulli(0.6) {
        for _ in 0..<count(2.5) {
            let person = Person(
                x: rng.uniform(s.roadLeft, s.roadRight), z: c.z - rng.uniform(1, 3.5),
                height: rng.uniform(1.55, 1.95), outfit: Outfit.sample(&rng),
                stride: rng.uniform(-1, 1))
            add(person.z) { p in person.draw(&p) }
        }
    }
    // Riders: cyclists near the kerb riding away, some crossing; motorcycles in lanes; parked bicycles.
    for _ in 0..<count(1.3) {
        let crossing = rng.bernoulli(0.35)
        let motor = rng.bernoulli(0.3)
        let x =
            crossing
            ? rng.uniform(s.roadLeft + 1, s.roadRight - 1)
            : (motor
                ? centers[rng.int(below: centers.count)]
                : s.roadRight - s.parkingRight - rng.uniform(0.8, 1.5))
        let bike = TwoWheeler(
            x: x, z: rng.uniform(6, 40), motor: motor,
            direction: crossing ? (rng.bernoulli(0.5) ? 1 : -1) : 0,
            frame: paint(), rider: Outfit.sample(&rng), riderHeight: rng.uniform(1.6, 1.9))
        add(bike.z) { p in bike.draw(&p) }
    }
    for _ in 0..<count(0.6) {
        let bike = TwoWheeler(
            x: s.walkRight - rng.uniform(0.5, 1.2), z: rng.uniform(5, 30), motor: false,
            direction: rng.bernoulli(0.5) ? 1 : -1,
            frame: paint(), rider: nil, riderHeight: 0)
        add(bike.z) { p in bike.draw(&p) }
    }
    // Street lamps, signs and traffic lights on the kerbs; street trees.
    let lampGap = rng.uniform(18, 32)
    for side: Float in [-1, 1] {
        let x = side > 0 ? s.roadRight + 0.5 : s.roadLeft - 0.5
        var z = rng.uniform(4, lampGap)
        while z < s.farZ * 0.8 {
            if !s.inCrossing(z, margin: 1) {
                let pole = Pole(
                    kind: .lamp, x: x, z: z, height: rng.uniform(6.5, 8.5), variant: 0,
                    facesCamera: true)
                add(z) { p in pole.draw(&p) }
            }
            z += lampGap
        }
        if rng.bernoulli(0.5) {
            var z = rng.uniform(5, 12)
            let gap = rng.uniform(7, 14)
            let tx =
                side > 0 ? s.roadRight + rng.uniform(0.9, 1.5) : s.roadLeft - rng.uniform(0.9, 1.5)
            while z < 70 {
                if !s.inCrossing(z, margin: 2) {
                    let tree = Tree.sample(x: tx, z: z, rng: &rng)
                    add(z) { p in tree.draw(&p) }
                }
                z += gap * rng.uniform(0.8, 1.2)
            }
        }
    }
    for _ in 0..<count(1.6) {
        let side: Float = rng.bernoulli(0.6) ? 1 : -1
        let x = side > 0 ? s.roadRight + rng.uniform(0.3, 0.8) : s.roadLeft - rng.uniform(0.3, 0.8)
        let pole = Pole(
            kind: .sign, x: x, z: rng.uniform(5, 50), height: rng.uniform(2.4, 3.2),
            variant: rng.int(below: 8),
            facesCamera: rng.bernoulli(0.8))
        add(pole.z) { p in pole.draw(&p) }
    }
    if let c = s.crossing {
        for (x, z) in [
            (s.roadRight + 0.6, c.z - 1), (s.roadLeft - 0.6, c.z - 1),
            (s.roadRight + 0.6, c.z + c.width + 1),
            (s.roadLeft - 0.6, c.z + c.width + 1),
        ] where rng.bernoulli(0.7) {
            let pole = Pole(
                kind: .light, x: x, z: z, height: rng.uniform(2.6, 3.4), variant: rng.int(below: 3),
                facesCamera: z < c.z)
            add(z) { p in pole.draw(&p) }
        }
    }
    // Walls, fences and hedges along the sidewalks' outer edges.
    for side: Float in [-1, 1] where rng.bernoulli(0.45) {
        let x = side > 0 ? s.walkRight - 0.1 : s.walkLeft + 0.1
        let z0 = rng.uniform(2, 30), length = rng.uniform(6, 30)
        let r = rng.uniform()
        let kind: Barrier.Kind = r < 0.35 ? .wall : r < 0.7 ? .fence : .hedge
        let color: Color =
            switch kind {
            case .wall: Color(repeating: rng.uniform(0.5, 0.7))
            case .fence: rng.bernoulli(0.5) ? Color(0.4, 0.32, 0.22) : Color(0.35, 0.37, 0.38)
            case .hedge: Color(0.18, 0.35, 0.14)
            }
        let b = Barrier(
            kind: kind, x: x, z0: z0, z1: z0 + length,
            height: kind == .fence ? rng.uniform(1.0, 1.8) : rng.uniform(0.6, 1.6), color: color)
        add(z0) { p in b.draw(&p) }
    }
    return out
}
