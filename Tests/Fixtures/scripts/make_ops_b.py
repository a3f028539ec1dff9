"""Golden values for the ops-b operations and optimizers, from PyTorch (CPU, float32).

Writes Tests/Fixtures/ops_b.h5. For each op case `<case>`: inputs `<case>/in<i>`, output
`<case>/out`, a random upstream gradient `<case>/grad_out` (standard normal,
scalar outputs included), and the gradients `<case>/grad_in<i>` of sum(out * grad_out) w.r.t. every
input. Labels are int32. Optimizer cases store the initial parameters, the fixed
gradient of every step and the parameters after every step.

Run: /work/venv/bin/python Tests/Fixtures/scripts/make_ops_b.py
"""
import os

import h5py
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(20261121)
torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "ops_b.h5")
data = {}


def u(*shape, lo=-1.0, hi=1.0):
    return torch.rand(*shape) * (hi - lo) + lo


def case(name, fn, *inputs):
    xs = [x.clone().requires_grad_(True) for x in inputs]
    y = fn(*xs)
    g = torch.randn_like(y)
    y.backward(g)
    for i, x in enumerate(xs):
        data[f"{name}/in{i}"] = x.detach()
        data[f"{name}/grad_in{i}"] = x.grad
    data[f"{name}/out"] = y.detach()
    data[f"{name}/grad_out"] = g


# Elementwise with broadcasting.
case("add_same", torch.add, u(2, 3, 4, 5), u(2, 3, 4, 5))
case("add_channel", torch.add, u(2, 3, 4, 5), u(1, 3, 1, 1))
case("add_bias", torch.add, u(4, 6), u(6))
case("sub_sample_channel", torch.sub, u(2, 3, 4, 5), u(2, 3, 1, 1))
case("sub_left_channel", torch.sub, u(1, 3, 1, 1), u(2, 3, 4, 5))
case("mul_channel", torch.mul, u(2, 3, 4, 5), u(1, 3, 1, 1))
case("mul_left_sample_channel", torch.mul, u(2, 3, 1, 1), u(2, 3, 4, 5))
case("mul_outer", torch.mul, u(4, 1), u(1, 6))
case("div_channel", torch.div, u(2, 3, 4, 5), u(1, 3, 1, 1, lo=0.5, hi=2.0))
case("mul_scalar", lambda x: x * 2.5, u(2, 3, 4))
case("add_scalar", lambda x: x + 0.75, u(2, 3, 4))

# Layout.
case("concat", lambda a, b, c: torch.cat([a, b, c], dim=1), u(2, 3, 4, 5), u(2, 1, 4, 5), u(2, 2, 4, 5))
case("flip", lambda x: torch.flip(x, dims=[-1]), u(2, 3, 4, 5))
case("crop", lambda x: x[:, :, 1:4, 2:6], u(2, 3, 5, 6))
case("transpose", lambda x: x.t(), u(5, 7))

# Products.
case("linear", F.linear, u(4, 6), u(3, 6), u(3))
case("linear_nobias", lambda x, w: F.linear(x, w), u(2, 3, 6), u(3, 6))
case("matmul_nn", lambda a, b: a @ b, u(3, 4), u(4, 5))
case("matmul_tn", lambda a, b: a.t() @ b, u(4, 3), u(4, 5))
case("matmul_nt", lambda a, b: a @ b.t(), u(3, 4), u(5, 4))
case("matmul_tt", lambda a, b: a.t() @ b.t(), u(4, 3), u(5, 4))

# Softmax family and losses.
case("softmax", lambda x: F.softmax(x, dim=1), u(2, 5, 3, 4, lo=-3, hi=3))
case("log_softmax", lambda x: F.log_softmax(x, dim=1), u(2, 5, 3, 4, lo=-3, hi=3))
case("exp", torch.exp, u(2, 3, 4))
case("log", torch.log, u(2, 3, 4, lo=0.2, hi=2.0))
case("l1", F.l1_loss, u(2, 3, 4, 5), u(2, 3, 4, 5))
normal_in = u(2, 6, 3, 4)
normal_in[1, :, 2, 3] = 0  # a zero pixel: the eps clamp is active there
case("l2_normalize", lambda x: F.normalize(x, dim=1, eps=1e-12), normal_in)
case("sum", torch.sum, u(2, 3, 4, 5))
case("mean", torch.mean, u(2, 3, 4, 5))

labels = torch.randint(0, 6, (2, 7, 9))
labels[torch.rand(2, 7, 9) < 0.25] = 255
data["cross_entropy/labels"] = labels.int()
case("cross_entropy", lambda x: F.cross_entropy(x, labels, ignore_index=255), u(2, 6, 7, 9, lo=-4, hi=4))


# Optimizers: a few steps on fixed gradients.
def trajectory(name, make, shapes, steps, lrs_per_step):
    params = [torch.nn.Parameter(u(*s)) for s in shapes]
    for i, p in enumerate(params):
        data[f"{name}/param{i}/initial"] = p.detach().clone()
    opt = make(params)
    after = [[] for _ in params]
    grads = [[] for _ in params]
    for t in range(steps):
        for group, lr in zip(opt.param_groups, lrs_per_step(t)):
            group["lr"] = lr
        for i, p in enumerate(params):
            p.grad = torch.randn_like(p)
            grads[i].append(p.grad.clone())
        opt.step()
        for i, p in enumerate(params):
            after[i].append(p.detach().clone())
    for i in range(len(params)):
        data[f"{name}/param{i}/grads"] = torch.stack(grads[i])
        data[f"{name}/param{i}/after"] = torch.stack(after[i])


def poly(base, t, total):
    return base * pow((1 - 1.0 * t / total), 0.9)


# CAC: SGD momentum 0.9, wd 1e-4, two groups (head lr 0.1, backbone lr 0.01), Poly over T = 8.
trajectory(
    "sgd",
    lambda ps: torch.optim.SGD(
        [{"params": [ps[0]], "lr": 0.1}, {"params": [ps[1]], "lr": 0.01}], lr=0.1, momentum=0.9,
        weight_decay=1e-4),
    [(3, 4), (5,)], 5, lambda t: [poly(0.1, t, 8), poly(0.01, t, 8)])
# SPADE: Adam betas (0, 0.9), lr 1e-4 (G) / 4e-4 (D) as two groups.
trajectory(
    "adam_spade",
    lambda ps: torch.optim.Adam(
        [{"params": [ps[0]], "lr": 1e-4}, {"params": [ps[1]], "lr": 4e-4}], betas=(0.0, 0.9)),
    [(3, 4), (5,)], 5, lambda t: [1e-4, 4e-4])
# Adam defaults with L2 weight decay.
trajectory(
    "adam_wd",
    lambda ps: torch.optim.Adam(ps, lr=1e-2, weight_decay=0.01),
    [(3, 4), (5,)], 5, lambda t: [1e-2])

with h5py.File(OUT, "w") as f:
    for key in sorted(data):
        value = data[key].numpy()
        f.create_dataset(key, data=value if value.dtype == np.int32 else value.astype(np.float32))
print(f"wrote {len(data)} datasets to {os.path.normpath(OUT)}")
