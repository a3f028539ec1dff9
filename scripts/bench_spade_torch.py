"""The SPADE side of scripts/bench_step_torch.py (--model spade): paper 2's generator and
multi-scale discriminator from Tests/Fixtures/scripts/spade_torch.py, one training iteration in
SPADE's order and a generator forward, timed; and the per-part profile (generator,
discriminator on [fake; real], the two Adam updates), as Sources/Bench/SPADEStepBench.swift
measures them. Not run on its own.
"""
import torch
import torch.nn.functional as F

import spade_torch as S

STUFF = [7, 8, 11, 21, 23, 17]
LR, BETAS, LAMBDA_FEAT = 0.0002, (0.0, 0.9), 10.0


def spade_scene(batch, h, w):
    """The label-id and instance maps of SPADEBenchScene.maps (Bench/SPADEStepBench.swift)."""
    y = torch.arange(h)[:, None]
    x = torch.arange(w)[None, :]
    labels, instances = [], []
    for b in range(batch):
        label = torch.tensor(STUFF)[(y * 4 // h + x * 8 // w + b) % 6]
        inst = label.clone()
        for k in range(10):
            cls = 26 if k % 2 == 0 else 24
            y0, x0 = h * (2 + 5 * (k % 3)) // 16, w * (1 + 3 * k) // 32
            label[y0:y0 + h // 5, x0:x0 + w // 10] = cls
            inst[y0:y0 + h // 5, x0:x0 + w // 10] = cls * 1000 + k
        labels.append(label)
        instances.append(inst)
    return torch.stack(labels), torch.stack(instances)


def position_map(instances, channels):
    """spade_torch.position_map (spade.md 6.5), vectorised per instance."""
    n, h, w = instances.shape
    out = torch.zeros(n, channels, h, w, dtype=torch.float64)
    signs = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
    j = torch.arange(channels // 4, dtype=torch.float64)
    for b in range(n):
        for v in sorted(set(instances[b].flatten().tolist())):
            if v < 1000:
                continue
            ys, xs = torch.nonzero(instances[b] == v, as_tuple=True)
            x1, y1 = xs.min(), ys.min()
            bw, bh = xs.max() - x1 + 1, ys.max() - y1 + 1
            ux = (2 * (xs - x1).double() / bw - 1)[None, :]
            uy = (2 * (ys - y1).double() / bh - 1)[None, :]
            px = torch.sin(ux * 4 * j[:, None] / channels)
            py = torch.sin(uy * 4 * j[:, None] / channels)
            for k, (a, c) in enumerate(signs):
                channel = (4 * j.long() + k)[:, None]
                out[b, channel, ys[None, :], xs[None, :]] = a * px + c * py
    return out


def conditioning(opt, variant, batch, h, w):
    labels, inst = spade_scene(batch, h, w)
    sem = torch.zeros(batch, opt.label_nc, h, w).scatter_(1, labels[:, None], 1.0)
    if variant == "L":
        return sem, None
    sem = torch.cat([sem, S.get_edges(inst[:, None])], dim=1)
    index, counts = S.instance_index(inst)
    pe = position_map(inst, opt.nhidden).float() if variant == "L+I+P" else None
    return sem, S.Context(index, counts, None, pe)


def with_noise(ctx, opt):
    if ctx is None:
        return None
    z = torch.randn(sum(ctx.counts), opt.noise_dim)
    return S.Context(ctx.index, ctx.counts, z, ctx.position)


def run(args, timed, median):
    h, w, n = args.height, args.width, args.batch
    nf = 64 // args.width_divisor
    opt = S.options(crop_size=w, aspect_ratio=w / h, ngf=nf, ndf=nf,
                    no_instance=args.variant == "L", mimlp=args.variant != "L",
                    position=args.variant == "L+I+P")
    g, d = S.SPADEGenerator(opt).train(), S.MultiscaleDiscriminator(opt).train()
    sem, ctx = conditioning(opt, args.variant, n, h, w)
    real = torch.rand(n, 3, h, w) * 2 - 1
    opt_g = torch.optim.Adam(g.parameters(), lr=LR / 2, betas=BETAS)
    opt_d = torch.optim.Adam(d.parameters(), lr=LR * 2, betas=BETAS)

    def discriminate(fake):
        out = d(torch.cat([torch.cat([sem, fake], 1), torch.cat([sem, real], 1)], 0))
        return [[t[:n] for t in s] for s in out], [[t[n:] for t in s] for s in out]

    def step():
        opt_g.zero_grad(set_to_none=True)
        fake = g(sem, with_noise(ctx, opt))
        pf, pr = discriminate(fake)
        gan = sum(-torch.mean(s[-1]) for s in pf) / len(pf)
        feat = sum(F.l1_loss(f[j], r[j].detach()) * LAMBDA_FEAT / len(pf)
                   for f, r in zip(pf, pr) for j in range(len(f) - 1))
        (gan + feat).backward()
        opt_g.step()
        opt_d.zero_grad(set_to_none=True)
        with torch.no_grad():
            fake = g(sem, with_noise(ctx, opt))
        pf, pr = discriminate(fake.detach())
        d_fake = sum(torch.mean(torch.relu(1 + s[-1])) for s in pf) / len(pf)
        d_real = sum(torch.mean(torch.relu(1 - s[-1])) for s in pr) / len(pr)
        (d_fake + d_real).backward()
        opt_d.step()

    def forward():
        g.eval()
        with torch.no_grad():
            g(sem, with_noise(ctx, opt))
        g.train()

    out = {"side": "PyTorch " + torch.__version__, "threads": args.threads,
           "kernels": "oneDNN/ATen " + torch.backends.cpu.get_cpu_capability(),
           "step_seconds": timed(step, args.repeats, args.warmup),
           "forward_seconds": timed(forward, args.repeats, args.warmup)}
    if not args.no_profile:
        out["profile"] = profile(g, d, sem, ctx, opt, discriminate, (opt_g, opt_d), args,
                                 timed, median)
    return out


def profile(g, d, sem, ctx, opt, discriminate, optimizers, args, timed, median):
    noisy = with_noise(ctx, opt)
    with torch.no_grad():
        fake = g(sem, noisy)
    seed = torch.randn(fake.shape)
    rows = []

    def g_fwd():
        with torch.no_grad():
            g(sem, noisy)

    def g_fwd_bwd():
        g.zero_grad(set_to_none=True)
        (g(sem, noisy) * seed).sum().backward()

    rows.append({"name": "generator", "forward": median(timed(g_fwd, args.repeats, args.warmup)),
                 "forward_backward": median(timed(g_fwd_bwd, args.repeats, args.warmup))})
    leaf = fake.detach().clone().requires_grad_(True)
    with torch.no_grad():
        pf, pr = discriminate(leaf)
    seeds = [torch.randn(t.shape) for t in sum(pf + pr, [])]

    def d_fwd():
        with torch.no_grad():
            discriminate(leaf)

    def d_fwd_bwd():
        d.zero_grad(set_to_none=True)
        leaf.grad = None
        f, r = discriminate(leaf)
        sum((t * s).sum() for t, s in zip(sum(f + r, []), seeds)).backward()

    rows.append({"name": "discriminator",
                 "forward": median(timed(d_fwd, args.repeats, args.warmup)),
                 "forward_backward": median(timed(d_fwd_bwd, args.repeats, args.warmup))})
    for name, model, optimizer in (("adam_g", g, optimizers[0]), ("adam_d", d, optimizers[1])):
        for p in model.parameters():
            p.grad = torch.zeros_like(p)
        rows.append({"name": name, "forward": 0.0,
                     "forward_backward": median(timed(optimizer.step, args.repeats,
                                                      args.warmup))})
    return rows

