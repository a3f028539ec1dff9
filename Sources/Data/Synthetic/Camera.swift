/// A level pinhole camera above a flat ground plane.
///
/// World coordinates in metres: x to the right, y up (ground at y = 0), z forward (depth).
/// The camera sits at (0, `height`, 0) looking along +z; pitch is modelled by the horizon row.
struct Camera {
    /// Focal length in output pixels.
    let focal: Float
    /// Principal point column.
    let cx: Float
    /// The horizon's pixel row (the principal point row of a level camera).
    let horizon: Float
    /// Height of the camera above the ground in metres.
    let height: Float
    /// Nearest depth that is drawn (geometry is clipped to z >= near).
    let near: Float = 0.5

    /// The pixel position of world point `p` (p.z > 0).
    func project(_ p: SIMD3<Float>) -> SIMD2<Float> {
        SIMD2(cx + focal * p.x / p.z, horizon + focal * (height - p.y) / p.z)
    }

    /// Pixels per metre at depth `z`.
    func scale(atDepth z: Float) -> Float { focal / z }

    /// Depth of the ground seen at pixel row `y` (below the horizon).
    func groundDepth(atRow y: Float) -> Float { focal * height / max(y - horizon, 1e-3) }
}
