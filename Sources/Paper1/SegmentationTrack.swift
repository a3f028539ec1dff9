import Data
import Models
import NN
import Results
import Tensors

/// One trained network of a paper 1 cell: the shared model of the multi-domain setting (one
/// head per domain), or one single-domain model. Owns its parameters, optimizer and streams.
///
/// Iteration t is a pure function of (weights, optimizer state, t): every random draw of step t
/// comes from streams split by t, so a run resumed from a checkpoint at t continues bit for bit.
final class SegmentationTrack {
    let config: SegmentationConfig
    /// Indices into the run's domain list, in head order.
    let domains: [Int]
    let store = ParameterStore()
    let model: DeepLabV3Plus
    let optimizer: SGD
    let schedule: PolySchedule
    /// Completed iterations.
    var iteration = 0
    let random: RandomSource
    var labeledOrder: [EpochOrder]
    var unlabeledOrder: [EpochOrder]

    /// Builds the model (initialised from the "init" stream) and the data orders.
    init(config: SegmentationConfig, domains: [Int], data: [DomainData], random: RandomSource) {
        self.config = config
        self.domains = domains
        self.random = random
        let shape = DeepLabConfig(
            backbone: ResNetConfig(
                blocks: config.blocks, outputStride: config.outputStride,
                widthDivisor: config.widthDivisor),
            classes: domains.map { data[$0].classes }, projector: config.method == .semi)
        model = DeepLabV3Plus(shape, at: Scope(store), random: random.split("init"))
        let backbone = store.parameters.filter { $0.key.hasPrefix("encoder.backbone.") }
        let heads = store.parameters.filter { !$0.key.hasPrefix("encoder.backbone.") }
        // CAC's groups: heads, decoder, ASPP and projector at lr; the backbone at lr / 10.
        optimizer = SGD(
            groups: [
                ParameterGroup(heads, lr: config.lr),
                ParameterGroup(backbone, lr: config.lr * config.backboneLRMultiplier),
            ],
            momentum: config.momentum, weightDecay: config.weightDecay)
        schedule = PolySchedule(totalIterations: config.totalIterations, power: config.polyPower)
        labeledOrder = domains.map {
            EpochOrder(items: data[$0].labeled, random: random.split("labeled").split($0))
        }
        // Supervised training reads no unlabeled image (and may have none: labeledFraction 1).
        unlabeledOrder =
            config.method == .semi
            ? domains.map {
                EpochOrder(items: data[$0].unlabeled, random: random.split("unlabeled").split($0))
            } : []
    }

    /// Replaces the backbone's initial weights by those of `path` (BackboneWeights' layout);
    /// the rest of the model keeps its init.
    func loadBackbone(_ path: String) throws {
        try BackboneWeights.load(path, config: model.backbone.config, into: store)
    }

    /// Whether iteration t adds the DC loss (semi-supervised, from epoch `unsupStartEpoch`).
    func usesContrastive(at t: Int) -> Bool {
        config.method == .semi && t / config.itersPerEpoch >= config.unsupStartEpoch
    }

    /// One SGD iteration of the Mix loss: every domain's CE (+ λ·DC) summed, one backward.
    func step(data: [DomainData]) throws -> StepLog {
        let t = iteration
        schedule.apply(to: optimizer, iteration: t)
        var log = StepLog(iteration: t, lr: optimizer.groups[0].lr, domains: domains.count)
        let stepRandom = random.split("step").split(t)
        let parameters = optimizer.parameters
        let (total, grads) = try valueAndGradient(of: parameters) { () throws -> Variable in
            try loss(shard: 0, of: 1, data: data, random: stepRandom, log: &log)
        }
        guard total.isFinite else {
            log.nonFinite = true
            return log
        }
        optimizer.step(grads)
        log.total = total
        iteration += 1
        return log
    }

    /// The Mix loss of shard `shard` of `shards` of iteration `iteration`'s global batch: every
    /// domain's CE (+ λ·DC) on the shard's share of the labeled and unlabeled batches, summed.
    /// Logs the shard's CE, DC and selected counts per head. With one shard, the streams are
    /// those of plain training; shard s > 0 of several draws from streams split by s.
    func loss(
        shard: Int, of shards: Int, data: [DomainData], random stepRandom: RandomSource,
        log: inout StepLog
    ) throws -> Variable {
        let t = log.iteration
        let labeled = config.batchLabeled / shards
        let unlabeled = config.batchUnlabeled / shards
        var losses: [Variable] = []
        for (head, d) in domains.enumerated() {
            var augment = stepRandom.split("augment").split(d)
            var dropout = stepRandom.split("dropout").split(d)
            if shards > 1 {
                augment = augment.split(shard)
                dropout = dropout.split(shard)
            }
            let batch = labeledOrder[head].batch(
                at: t * config.batchLabeled + shard * labeled, count: labeled)
            let (x, y) = try data[d].labeledBatch(batch, config: config, random: &augment)
            let logits = model(x, domain: head, mode: .train, random: &dropout)
            var loss = crossEntropy(logits, y)
            log.ce[head] = loss.value.scalar
            if usesContrastive(at: t) {
                let ub = unlabeledOrder[head].batch(
                    at: t * config.batchUnlabeled + shard * unlabeled, count: unlabeled)
                let pair = try data[d].pairBatch(ub, config: config, random: &augment)
                let dc = contrastive(pair, head: head, random: &dropout)
                log.dc[head] = dc.loss.value.scalar
                log.selected[head] = dc.selected1 + dc.selected2
                log.confident[head] = dc.confident
                log.overlap[head] = dc.overlapPixels
                loss = loss + dc.loss * Float(config.lambda)
            }
            losses.append(loss)
        }
        return losses.dropFirst().reduce(losses[0], +)
    }

    /// The DC loss on one pair batch: E(x1), E(x2) as separate forward calls (separate BN
    /// statistics), 2x2 average pool to stride 8, projector, head logits (dropout active).
    private func contrastive(_ pair: PairBatch, head: Int, random: inout RandomSource)
        -> DirectionalContrastiveResult
    {
        var z: [Variable] = [], logits: [Tensor] = []
        for x in [pair.crop1, pair.crop2] {
            let pooled = avgPool2d(
                model.features(x, mode: .train, random: &random), kernel: 2, stride: 2)
            z.append(model.project(pooled))
            logits.append(model.logits(pooled, domain: head, mode: .train, random: &random).value)
        }
        return directionalContrastiveLoss(
            z1: z[0], z2: z[1], logits1: logits[0], logits2: logits[1], overlaps: pair.overlaps,
            config: DirectionalContrastiveConfig(
                temperature: Float(config.temperature), threshold: Float(config.threshold)))
    }
}

/// What one iteration did, for the loss curves.
struct StepLog: Sendable {
    var iteration: Int
    var lr: Double
    var ce: [Float]
    var dc: [Float]
    var selected: [Int]
    /// Overlap positions of both crops above the confidence threshold, of 2 x `overlap`.
    var confident: [Int]
    var overlap: [Int]
    var total: Float = .nan
    var nonFinite = false
    /// Some process of a data-parallel run saw a stop signal (all ranks stop together).
    var stopRequested = false

    init(iteration: Int, lr: Double, domains: Int) {
        self.iteration = iteration
        self.lr = lr
        ce = [Float](repeating: .nan, count: domains)
        dc = [Float](repeating: 0, count: domains)
        selected = [Int](repeating: 0, count: domains)
        confident = selected
        overlap = selected
    }
}
