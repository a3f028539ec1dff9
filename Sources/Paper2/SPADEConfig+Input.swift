import Data
import ImageCodecs
import Models
import Tensors

extension SPADEConfig {
    /// The generator's conditioning for one batch of (resized, flipped) label-id and instance
    /// maps, as this configuration uses it: S = one-hot (+ the edge map when the architecture
    /// uses edges); for L+I and L+I+P the instance index; for L+I+P the position map with this
    /// configuration's combination and frequencies. Throws `ConditioningError` naming the file
    /// (`labelSources[n]`, `instanceSources[n]`) for a size mismatch or a label id outside
    /// 0..<labelNC.
    public func makeInput(
        labels: [LabelMap], instances: [InstanceMap], labelSources: [String]? = nil,
        instanceSources: [String]? = nil
    ) throws -> SPADEInput {
        let a = architecture
        let s = try SPADEConditioning.semantics(
            labels: labels, instances: instances, edges: a.useEdges, classes: a.labelNC,
            labelSources: labelSources, instanceSources: instanceSources)
        guard a.mimlp else { return SPADEInput(semantics: s) }
        let layout = InstanceLayout(instances)
        let position =
            a.positionMap
            ? PositionMap.make(
                layout, channels: a.nhidden, combine: positionCombine,
                frequency: positionFrequency)
            : nil
        return SPADEInput(
            semantics: s, instanceIndex: layout.index, instanceCounts: layout.counts,
            position: position)
    }
}
