"""Times one DeepLabv3+ ResNet-50 training step and one forward in PyTorch (CPU), the PyTorch
side of `repro bench step`; prints one JSON object on stdout.

The network is Tests/Fixtures/scripts/deeplab_torch.py (CAC's model, one 19-class head, no
projector), float32, train mode with CAC's dropout; the step is: forward, bilinear upsampling
(align_corners=True) of the logits to the input size, cross-entropy (ignore 255), backward,
SGD (momentum 0.9, weight decay 1e-4). The forward is eval mode without autograd.

The per-module profile times each part of the network alone, at the shapes it has inside the
network, forward and forward + backward (input and parameter gradients, a fixed output
gradient): stem, layer1...layer4, ASPP, decoder, head (classifier, upsampling, loss), SGD.
`max_rss_mb` is this process's resident-set high-water mark (getrusage ru_maxrss).

With --model spade it times paper 2's SPADE instead (Tests/Fixtures/scripts/spade_torch.py,
the PyTorch mirror of NVlabs/SPADE's modules with the instance-aware extensions): one training
iteration in SPADE's order (generator step: hinge + feature matching, Adam; then the
discriminator step on a fresh fake made without autograd: hinge, Adam; TTUR lr 1e-4 / 4e-4,
betas (0, 0.9)) on the scene of `spade_scene` (the same maps as Bench/SPADEStepBench.swift);
the forward is the generator in eval mode. Its profile: generator, discriminator on
[fake; real], the two Adam updates.

    /work/venv/bin/python scripts/bench_step_torch.py --threads 2 --repeats 3
    /work/venv/bin/python scripts/bench_step_torch.py --model spade --variant L+I+P --batch 1
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Fixtures", "scripts"))
import deeplab_torch as D  # noqa: E402


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2] if len(s) % 2 else 0.5 * (s[len(s) // 2 - 1] + s[len(s) // 2])


def timed(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--width-divisor", type=int, default=1)
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--model", choices=["deeplab", "spade"], default="deeplab")
    ap.add_argument("--variant", choices=["L", "L+I", "L+I+P"], default="L+I+P")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.model == "spade":
        import bench_spade_torch
        out = bench_spade_torch.run(args, timed, median)
        out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out, sort_keys=True))
        return
    n, h, w = args.batch, args.height, args.width
    model = D.MultiDomainDeepLab(classes=(args.classes,), projector=False,
                                 width_divisor=args.width_divisor)
    x = torch.randn(n, 3, h, w)
    labels = torch.randint(0, args.classes, (n, h, w))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def loss_of(logits):
        up = F.interpolate(logits, size=(h, w), mode="bilinear", align_corners=True)
        return F.cross_entropy(up, labels, ignore_index=255)

    def step():
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = loss_of(model.logits(model.encoder(x), 0))
        loss.backward()
        opt.step()

    def forward():
        model.eval()
        with torch.no_grad():
            model(x, 0)

    out = {"side": "PyTorch " + torch.__version__, "threads": args.threads,
           "kernels": "oneDNN/ATen " + torch.backends.cpu.get_cpu_capability(),
           "step_seconds": timed(step, args.repeats, args.warmup),
           "forward_seconds": timed(forward, args.repeats, args.warmup)}

    if not args.no_profile:
        out["profile"] = profile(model, x, loss_of, opt, args)
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, sort_keys=True))


def profile(model, x, loss_of, opt, args):
    """{name, forward, forward_backward} (median seconds) per part, train mode."""
    model.train()
    enc, bb = model.encoder, model.encoder.backbone
    with torch.no_grad():
        stem_out = bb.maxpool(bb.relu(bb.bn1(bb.conv1(x))))
        l1 = bb.layer1(stem_out)
        l2 = bb.layer2(l1)
        l3 = bb.layer3(l2)
        l4 = bb.layer4(l3)
        a = enc.aspp(l4)
        feats = enc.decoder(a, l1)
    parts = [
        ("stem", lambda t: bb.maxpool(bb.relu(bb.bn1(bb.conv1(t[0])))), [x]),
        ("layer1", lambda t: bb.layer1(t[0]), [stem_out]),
        ("layer2", lambda t: bb.layer2(t[0]), [l1]),
        ("layer3", lambda t: bb.layer3(t[0]), [l2]),
        ("layer4", lambda t: bb.layer4(t[0]), [l3]),
        ("aspp", lambda t: enc.aspp(t[0]), [l4]),
        ("decoder", lambda t: enc.decoder(t[0], t[1]), [a, l1]),
        ("head", lambda t: loss_of(model.logits(t[0], 0)), [feats]),
    ]
    rows = []
    for name, fn, inputs in parts:
        leaves = [t.detach().clone().requires_grad_(name != "stem") for t in inputs]
        probe = fn(leaves)
        seed = torch.randn(probe.shape, generator=torch.Generator().manual_seed(1))

        def fwd():
            with torch.no_grad():
                fn(leaves)

        def fwd_bwd():
            model.zero_grad(set_to_none=True)
            for t in leaves:
                t.grad = None
            (fn(leaves) * seed).sum().backward()

        rows.append({"name": name, "forward": median(timed(fwd, args.repeats, args.warmup)),
                     "forward_backward": median(timed(fwd_bwd, args.repeats, args.warmup))})
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    rows.append({"name": "sgd", "forward": 0.0,
                 "forward_backward": median(timed(opt.step, args.repeats, args.warmup))})
    return rows


if __name__ == "__main__":
    main()
