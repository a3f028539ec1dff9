import Tensors

/// The ground plan of a straight street: road, lanes, kerbs, sidewalks and what lines them.
///
/// x is measured from the camera (which drives in one of the road's lanes); all lengths in metres.
struct StreetLayout {
    let laneWidth: Float
    let lanes: Int
    /// Road edges.
    let roadLeft: Float, roadRight: Float
    /// Parking strips (label 'parking') inside the road edges, widths or 0.
    let parkingLeft: Float, parkingRight: Float
    /// Outer edges of the sidewalks.
    let walkLeft: Float, walkRight: Float
    /// Building lines (facades start at or beyond them).
    let buildLeft: Float, buildRight: Float
    /// Depth where the street ends in a row of distant buildings.
    let farZ: Float
    /// A cross street: its near depth and width, or nil.
    let crossing: (z: Float, width: Float)?

    static func sample(_ rng: inout RandomSource, look: Look) -> StreetLayout {
        let laneWidth = rng.uniform(3.0, 3.6)
        let lanes = rng.int(in: 2...4)
        let ownLane = rng.int(in: max(0, lanes - 2)...(lanes - 1))  // lanes counted from the left
        let roadLeft = -(Float(ownLane) + 0.5) * laneWidth
        let roadRight = roadLeft + Float(lanes) * laneWidth
        let parkingLeft: Float = rng.bernoulli(0.25) ? rng.uniform(2.0, 2.5) : 0
        let parkingRight: Float = rng.bernoulli(0.3) ? rng.uniform(2.0, 2.5) : 0
        let walkLeft = roadLeft - parkingLeft - rng.uniform(2.0, 4.5)
        let walkRight = roadRight + parkingRight + rng.uniform(2.0, 4.5)
        let crossing: (Float, Float)? =
            rng.bernoulli(0.45) ? (rng.uniform(22, 45), rng.uniform(9, 14)) : nil
        return StreetLayout(
            laneWidth: laneWidth, lanes: lanes, roadLeft: roadLeft - parkingLeft,
            roadRight: roadRight + parkingRight,
            parkingLeft: parkingLeft, parkingRight: parkingRight, walkLeft: walkLeft,
            walkRight: walkRight,
            buildLeft: walkLeft - rng.uniform(0, 3), buildRight: walkRight + rng.uniform(0, 3),
            farZ: rng.uniform(90, 220), crossing: crossing)
    }

    /// Whether depth `z` lies on the cross street.
    func inCrossing(_ z: Float, margin: Float = 0) -> Bool {
        guard let c = crossing else { return false }
        return z > c.z - margin && z < c.z + c.width + margin
    }

    /// Lane centres (x), left to right.
    var laneCenters: [Float] {
        (0..<lanes).map { roadLeft + parkingLeft + (Float($0) + 0.5) * laneWidth }
    }
}

/// Draws the ground: terrain everywhere, road with markings, parking strips, kerbs and sidewalks.
func drawGround(_ p: inout Painter, _ s: StreetLayout, rng: inout RandomSource) {
    let far = s.farZ + 5
    let road = Cityscapes.id("road"), walk = Cityscapes.id("sidewalk"),
        terrain = Cityscapes.id("terrain")
    let grass = rng.bernoulli(0.5) ? Color(0.33, 0.45, 0.2) : Color(0.45, 0.42, 0.3)
    p.ground(x0: -400, x1: 400, z0: 0, z1: far + 400, grass, id: Int32(terrain), grain: 0.15)
    let asphalt = Color(repeating: rng.uniform(0.26, 0.36)) + Color(0, 0, 0.01)
    let paving = Color(repeating: rng.uniform(0.52, 0.66)) + Color(0.02, 0.01, 0)
    p.ground(x0: s.walkLeft, x1: s.roadLeft, z0: 0, z1: far, paving, id: Int32(walk), grain: 0.12)
    p.ground(x0: s.roadRight, x1: s.walkRight, z0: 0, z1: far, paving, id: Int32(walk), grain: 0.12)
    p.ground(x0: s.roadLeft, x1: s.roadRight, z0: 0, z1: far, asphalt, id: Int32(road), grain: 0.1)
    if let c = s.crossing {
        p.ground(
            x0: -400, x1: 400, z0: c.z, z1: c.z + c.width, asphalt, id: Int32(road), grain: 0.1)
        // Sidewalk corners continue on the far side of the crossing; zebra stripes on the near side.
        let white = Color(0.85, 0.85, 0.83)
        var x = s.roadLeft + 0.3
        while x + 0.5 < s.roadRight {
            p.ground(
                x0: x, x1: x + 0.5, z0: c.z - 3.5, z1: c.z - 0.5, white, id: Int32(road),
                grain: 0.05)
            x += 1.0
        }
    }
    // Kerbs: a light strip along each sidewalk edge.
    let kerb = paving * 1.2
    p.ground(x0: s.roadLeft - 0.18, x1: s.roadLeft, z0: 0, z1: far, kerb, id: Int32(walk))
    p.ground(x0: s.roadRight, x1: s.roadRight + 0.18, z0: 0, z1: far, kerb, id: Int32(walk))
    // Parking strips.
    let park = Cityscapes.id("parking")
    let parkColor = asphalt * 1.25 + Color(0.03, 0.02, 0)
    if s.parkingLeft > 0 {
        p.ground(
            x0: s.roadLeft, x1: s.roadLeft + s.parkingLeft, z0: 0, z1: far, parkColor,
            id: Int32(park), grain: 0.12)
    }
    if s.parkingRight > 0 {
        p.ground(
            x0: s.roadRight - s.parkingRight, x1: s.roadRight, z0: 0, z1: far, parkColor,
            id: Int32(park), grain: 0.12)
    }
    // Lane markings (part of 'road'): dashed between lanes, solid at the edges.
    let paint = Color(0.88, 0.88, 0.85)
    let dash = rng.uniform(2.5, 4), gap = rng.uniform(4, 8), phase = rng.uniform(0, 8)
    let centers = s.laneCenters
    for i in 1..<s.lanes {
        let x = (centers[i - 1] + centers[i]) / 2
        var z = phase
        while z < s.farZ {
            if !s.inCrossing(z, margin: 4) && !s.inCrossing(z + dash, margin: 4) {
                p.ground(x0: x - 0.07, x1: x + 0.07, z0: z, z1: z + dash, paint, id: Int32(road))
            }
            z += dash + gap
        }
    }
    var segments: [(Float, Float)] = [(0, s.farZ)]
    if let c = s.crossing { segments = [(0, c.z - 0.5), (c.z + c.width + 0.5, s.farZ)] }
    for x in [s.roadLeft + s.parkingLeft + 0.25, s.roadRight - s.parkingRight - 0.25] {
        for (a, b) in segments where b > a {
            p.ground(x0: x - 0.06, x1: x + 0.06, z0: a, z1: b, paint * 0.95, id: Int32(road))
        }
    }
}
