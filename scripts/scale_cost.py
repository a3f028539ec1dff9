#!/usr/bin/env python3
"""Cost model of the `paper` profiles from measured step times (results/scale/README.md).

Paper 1: the measured ResNet-50 DeepLabv3+ training step (results/bench/step-2026-11-21.md:
5.16 s for 2 images of 256x512 at 1 thread) gives seconds per pixel of one image's forward +
backward; an iteration of a domain at the paper profile trains 8 labeled 720x720 crops (CE)
and, from epoch 5 in semi-supervised cells, 8 unlabeled pairs = 16 more crops (DC loss, back-
propagated through the encoder, counted as full passes: an upper bound). Each cell trains
three domains' worth (3 single-domain tracks, or one multi-domain track with 3 heads) for
150 epochs x 1157 iterations.

Paper 2: a measured SPADE L+I+P iteration at full width (ngf 64) on 64x128 scenes, batch 2
(27 s of CPU time per iteration, results/scale/README.md), scaled linearly to the paper
profile's pixels and images (256x512: 16x the pixels; batch 32: 16x the images), 2975
Cityscapes training images, 200 epochs. One run shards its batch of 32 over at most 32 ranks
(1 image per shard; the generator's batch norm is synchronized over the global batch).

Node-hours divide core-seconds by (cores per node x scaling efficiency): the efficiency is
the one measured for 2 ranks on this 2-core machine (scripts/scale-measure.sh).
Usage: python3 scripts/scale_cost.py EFFICIENCY [CORES_PER_NODE] [SEEDS]"""
import sys

efficiency = float(sys.argv[1])
cores = int(sys.argv[2]) if len(sys.argv) > 2 else 2
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 3

per_pixel = 5.16 / (2 * 256 * 512)  # s per pixel, forward + backward, 1 core
crop = 720 * 720
epochs, iters, warmup = 150, 1157, 5
labeled = 8 * crop * per_pixel
unlabeled = 16 * crop * per_pixel
supervised = 3 * epochs * iters * labeled
semi = 3 * (warmup * iters * labeled + (epochs - warmup) * iters * (labeled + unlabeled))
p1 = {"single-supervised": supervised, "multi-supervised": supervised,
      "single-semi": semi, "multi-semi": semi}

spade_measured = 27.0  # CPU-s per iteration: ngf 64, 64x128, batch 2
spade_iter = spade_measured * 16 * 16
spade_iters = -(-2975 // 32) * 200
p2 = {name: spade_iter * spade_iters for name in ("L", "L+I", "L+I+P")}


def report(title, cells, max_nodes):
    """max_nodes: the most nodes one run can use (one rank per node, one shard per rank)."""
    print(f"### {title}\n")
    print("| cell | core-hours | node-hours | nodes for 24 h (if divisible) "
          f"| days on {max_nodes} node(s), the most one run can use |")
    print("| --- | ---: | ---: | ---: | ---: |")
    total = 0.0
    for name, core_seconds in cells.items():
        node_hours = core_seconds / 3600 / (cores * efficiency)
        total += node_hours
        print(f"| {name} | {core_seconds / 3600:,.0f} | {node_hours:,.0f} "
              f"| {node_hours / 24:,.0f} | {node_hours / max_nodes / 24:,.0f} |")
    print(f"| all cells x {seeds} seeds | | {total * seeds:,.0f} | {total * seeds / 24:,.0f} | |\n")


print(f"Nodes of {cores} cores at scaling efficiency {efficiency:.2f}; {seeds} seeds per claim.\n")
print(f"Paper 1: {labeled:.1f} s (supervised) / {labeled + unlabeled:.1f} s (semi) per domain-"
      f"iteration on one core; {epochs * iters:,} iterations per track.\n")
report("Paper 1 (paper profile)", p1, max_nodes=4)  # batch 8 per domain, 2 per shard
print(f"Paper 2: {spade_iter:,.0f} core-s per iteration; {spade_iters:,} iterations.\n")
report("Paper 2 (paper profile)", p2, max_nodes=32)  # batch 32, >= 1 image per shard
