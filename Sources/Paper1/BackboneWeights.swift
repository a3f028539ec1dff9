import Foundation
import Models
import NN
import Storage
import Tensors

/// A ResNet backbone on its own, as an HDF5 checkpoint with torchvision's state_dict keys
/// (`conv1.weight`, `bn1.running_mean`, `layer1.0.conv1.weight`, ..., no prefix): the layout
/// scripts/convert_torchvision_resnet50.py writes from torchvision's ImageNet ResNet-50 and the
/// synthetic pretraining writes from its pretext network. CAC loads ImageNet weights into its
/// backbone the same way: the backbone only, the rest of the model keeps its own init.
public enum BackboneWeights {
    /// torchvision's ImageNet classifier, present in its checkpoints and ignored here.
    static let classifierKeys: Set<String> = ["fc.weight", "fc.bias"]

    /// Loads the backbone of `path` into the keys `prefix + key` of `store` (a model built with
    /// the backbone `config` under `prefix`). Every backbone key must be in the file with the
    /// model's shape; keys other than torchvision's classifier `fc.*` are refused.
    ///
    /// - Throws: `StorageError` naming the file and the keys or shapes that do not match (a
    ///   ResNet-50 file for a narrower profile names the first key whose shape differs).
    public static func load(
        _ path: String, config: ResNetConfig, into store: ParameterStore,
        prefix: String = "encoder.backbone."
    ) throws {
        let scratch = ParameterStore()
        var unused = RandomSource(seed: 0)
        _ = ResNet(config, at: Scope(scratch), random: &unused)
        let loaded = try Checkpoint.load(path, into: scratch, strict: false)
        let unexpected = loaded.unexpectedKeys.filter { !classifierKeys.contains($0) }
        guard loaded.missingKeys.isEmpty && unexpected.isEmpty else {
            throw StorageError(
                .missingKey, file: path,
                "not a backbone of width 1/\(config.widthDivisor), blocks \(config.blocks): "
                    + "missing \(loaded.missingKeys), unexpected \(unexpected)")
        }
        for entry in scratch.entries {
            guard let target = store.entry(prefix + entry.key) else {
                preconditionFailure("BackboneWeights: the model has no key \(prefix + entry.key)")
            }
            copy(entry, to: target)
        }
    }

    /// Writes the backbone keys `prefix + key` of `store` to `path` without the prefix.
    public static func write(
        from store: ParameterStore, config: ResNetConfig, to path: String,
        prefix: String = "encoder.backbone.", attributes: [String: HDF5Attribute] = [:]
    ) throws {
        let scratch = ParameterStore()
        var unused = RandomSource(seed: 0)
        _ = ResNet(config, at: Scope(scratch), random: &unused)
        for entry in scratch.entries {
            guard let source = store.entry(prefix + entry.key) else {
                preconditionFailure("BackboneWeights: the model has no key \(prefix + entry.key)")
            }
            copy(source, to: entry)
        }
        try Checkpoint(attributes: attributes).save(scratch, to: path)
    }

    /// Assigns `source`'s value to `target` (same kind and shape: one ResNet configuration).
    private static func copy(_ source: StateEntry, to target: StateEntry) {
        switch (source, target) {
        case (.parameter(let a), .parameter(let b)): b.value = a.value
        case (.buffer(let a), .buffer(let b)): b.value = a.value
        case (.counter(let a), .counter(let b)): b.value = a.value
        default: preconditionFailure("BackboneWeights: \(source.key) changes kind")
        }
    }
}
