"""Key manifests and the forward / training-iteration fixture of paper 2's SPADE models.

Run from the package root:  /root/torch/bin/python Tests/Fixtures/scripts/make_spade.py

Writes
- Tests/Fixtures/keys/spade_generator_cityscapes.txt: SPADEGenerator at the Cityscapes size
  (ngf 64, 35 labels + edge = 36 input channels, normal upsampling), `key [shape]` per
  state_dict entry; 93,048,003 parameters;
- Tests/Fixtures/keys/spade_generator_cityscapes_mimlp.txt: the same with the Multi-Instance
  MLP in every SPADE module (L+I, L+I+P); 96,168,771 parameters;
- Tests/Fixtures/keys/spade_discriminator_cityscapes.txt: MultiscaleDiscriminator, 39 input
  channels; 5,601,410 parameters;
- Tests/Fixtures/keys/spade_small_{generator,discriminator}.txt: the reduced models below;
- Tests/Fixtures/spade.h5: for the reduced L+I+P models (PyTorch default init, random batch-norm
  statistics): `maps/` (label and instance maps), `cond/` (one-hot + edges S, the edge map, the
  instance index, the position map), the initial states `G/<key>`, `D/<key>`, the noise, and
  `out/`: G forward in eval and train mode, D forward (every layer of both scales) in eval and
  train mode, and one training iteration (G step, then D step on a fresh fake without
  gradients): losses, all gradients (`grad_G/<key>`, `grad_D/<key>`) and the full states after
  both Adam updates (`after_G/<key>`, `after_D/<key>`). Plus `ops/instance_gather/` (in0, in1
  (index), out, grad_out, grad_in0). Attribute `torch_version`.
"""
import copy
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spade_torch as S  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")

# The reduced models: 6 label ids + edge, ngf 1, ndf 2, nhidden 8 (= position channels),
# noise 8, 32x64 images (crop 64, aspect 2, normal: first map 1x2), batch 2.
SMALL = dict(label_nc=6, ngf=1, ndf=2, nhidden=8, noise_dim=8, crop_size=64, mimlp=True,
             position=True)
N, H, W = 2, 32, 64
LR, BETAS = 0.0002, (0.0, 0.9)
LAMBDA_FEAT = 10.0


def write_manifest(model, name):
    path = os.path.join(FIXTURES, "keys", name)
    with open(path, "w") as f:
        for k, v in model.state_dict().items():
            f.write(f"{k} [{','.join(str(s) for s in v.shape)}]\n")
    count = sum(p.numel() for p in model.parameters())
    print("wrote", path, count, "parameters")
    return count


def maps():
    """Label ids 0..5 in blocks; instances: two cars, a person, a car group, stuff ids."""
    i = np.arange(H)[:, None]
    j = np.arange(W)[None, :]
    labels = np.stack([(i // 8 + j // 16 + b) % 6 for b in range(N)]).astype(np.int64)
    inst = np.stack([np.where(i < 16, 7, 11) for _ in range(N)]).astype(np.int64)
    inst = np.broadcast_to(inst, (N, H, W)).copy()
    inst[0, 4:20, 3:17] = 26000
    inst[0, 10:28, 15:30] = 26001  # overlaps and cuts the first car
    inst[0, 2:9, 40:44] = 24000
    inst[0, 20:30, 45:60] = 26  # a car group: not an instance
    inst[1, 1:31, 30:33] = 24003
    inst[1, 25:32, 0:10] = 33000
    return torch.from_numpy(labels), torch.from_numpy(inst)


def randomize_norms(model, gen):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.data = torch.randn(c, generator=gen) * 0.1
            m.running_var.data = torch.rand(c, generator=gen) * 1.5 + 0.5
            m.num_batches_tracked.fill_(3)


def d_input(sem, img):
    return torch.cat([sem, img], dim=1)


def discriminate(d, sem, fake, real):
    out = d(torch.cat([d_input(sem, fake), d_input(sem, real)], dim=0))
    return ([[t[:N] for t in s] for s in out], [[t[N:] for t in s] for s in out])


def g_loss(pred_fake, pred_real):
    gan = sum(-torch.mean(s[-1]) for s in pred_fake) / len(pred_fake)
    feat = 0
    for f, r in zip(pred_fake, pred_real):
        for j in range(len(f) - 1):
            feat = feat + torch.nn.functional.l1_loss(f[j], r[j].detach()) * LAMBDA_FEAT / len(
                pred_fake)
    return gan, feat


def d_loss(pred_fake, pred_real):
    fake = sum(torch.mean(torch.relu(1 + s[-1])) for s in pred_fake) / len(pred_fake)
    real = sum(torch.mean(torch.relu(1 - s[-1])) for s in pred_real) / len(pred_real)
    return fake, real


def make_fixture(data):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(2)
    opt = S.options(**SMALL)
    g0 = S.SPADEGenerator(opt)
    d0 = S.MultiscaleDiscriminator(opt)
    randomize_norms(g0, gen)
    write_manifest(g0, "spade_small_generator.txt")
    write_manifest(d0, "spade_small_discriminator.txt")
    for k, v in g0.state_dict().items():
        data["G/" + k] = v.clone()
    for k, v in d0.state_dict().items():
        data["D/" + k] = v.clone()

    labels, inst = maps()
    data["maps/labels"] = labels.int()
    data["maps/instances"] = inst.int()
    onehot = torch.zeros(N, opt.label_nc, H, W).scatter_(1, labels[:, None], 1.0)
    edges = S.get_edges(inst[:, None])
    sem = torch.cat([onehot, edges], dim=1)
    index, counts = S.instance_index(inst)
    pe = S.position_map(inst, opt.nhidden)
    data["cond/semantics"] = sem
    data["cond/edges"] = edges
    data["cond/index"] = index.int()
    data["cond/position"] = pe
    pe = pe.float()
    total = sum(counts)
    noise = {k: torch.randn(total, opt.noise_dim, generator=gen) for k in ("eval", "g", "d")}
    for k, v in noise.items():
        data["noise/" + k] = v
    real = torch.rand(N, 3, H, W, generator=gen) * 2 - 1
    data["real"] = real
    ctx = {k: S.Context(index, counts, v, pe) for k, v in noise.items()}

    # Forward passes, each on a fresh copy (train mode changes BN statistics and u).
    g = copy.deepcopy(g0).eval()
    with torch.no_grad():
        data["out/g_eval"] = g(sem, ctx["eval"])
    g = copy.deepcopy(g0).train()
    with torch.no_grad():
        data["out/g_train"] = g(sem, ctx["g"])
    data["out/g_train_state/head_0.norm_0.param_free_norm.running_var"] = \
        g.head_0.norm_0.param_free_norm.running_var.clone()
    data["out/g_train_state/up_1.conv_0.weight_u"] = g.up_1.conv_0.weight_u.clone()
    x = d_input(sem, real)
    for mode in ("eval", "train"):
        d = copy.deepcopy(d0)
        d.train(mode == "train")
        with torch.no_grad():
            for s, outs in enumerate(d(x)):
                for j, t in enumerate(outs):
                    data[f"out/d_{mode}/{s}/{j}"] = t

    # One training iteration.
    g, d = copy.deepcopy(g0).train(), copy.deepcopy(d0).train()
    opt_g = torch.optim.Adam(g.parameters(), lr=LR / 2, betas=BETAS)
    opt_d = torch.optim.Adam(d.parameters(), lr=LR * 2, betas=BETAS)
    opt_g.zero_grad()
    fake = g(sem, ctx["g"])
    gan, feat = g_loss(*discriminate(d, sem, fake, real))
    (gan + feat).backward()
    opt_g.step()
    for k, p in g.named_parameters():
        data["grad_G/" + k] = p.grad.clone()
    opt_d.zero_grad()
    with torch.no_grad():
        fake = g(sem, ctx["d"])
    d_fake, d_real = d_loss(*discriminate(d, sem, fake.detach(), real))
    (d_fake + d_real).backward()
    opt_d.step()
    for k, p in d.named_parameters():
        data["grad_D/" + k] = p.grad.clone()
    for k, v in g.state_dict().items():
        data["after_G/" + k] = v.clone()
    for k, v in d.state_dict().items():
        data["after_D/" + k] = v.clone()
    data["out/losses"] = torch.tensor([gan.item(), feat.item(), d_fake.item(), d_real.item()])
    print("losses G gan %.6f feat %.6f, D fake %.6f real %.6f" % tuple(data["out/losses"]))

    # The instance-gather op alone (MIMLP dense maps).
    vals = torch.randn(total, 5, generator=gen, requires_grad=True)
    small = S.resize_index(index, (8, 16))
    y = S.instance_gather(vals, small, counts)
    gy = torch.randn(y.shape, generator=gen)
    y.backward(gy)
    data["ops/instance_gather/in0"] = vals.detach()
    data["ops/instance_gather/in1"] = small.int()
    data["ops/instance_gather/out"] = y.detach()
    data["ops/instance_gather/grad_out"] = gy
    data["ops/instance_gather/grad_in0"] = vals.grad


def main():
    torch.manual_seed(0)
    full = S.options()
    assert write_manifest(S.SPADEGenerator(full), "spade_generator_cityscapes.txt") == 93_048_003
    mimlp = S.options(mimlp=True)
    assert write_manifest(S.SPADEGenerator(mimlp),
                          "spade_generator_cityscapes_mimlp.txt") == 96_168_771
    assert write_manifest(S.MultiscaleDiscriminator(full),
                          "spade_discriminator_cityscapes.txt") == 5_601_410
    data = {}
    make_fixture(data)
    path = os.path.join(FIXTURES, "spade.h5")
    with h5py.File(path, "w", libver=("earliest", "v110")) as f:
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["source"] = "Tests/Fixtures/scripts/make_spade.py (torch %s)" % torch.__version__
        for k, v in data.items():
            a = v.detach().numpy()
            if k.endswith("num_batches_tracked"):
                a = a.astype(np.int64)
            elif a.dtype in (np.int32, np.int64):
                a = a.astype(np.int32)
            else:
                a = a.astype(np.float32)
            packed = dict(compression="gzip", shuffle=True) if a.size > 4096 else {}
            f.create_dataset(k, data=a, **packed)
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
