"""Golden values for the ops-a operations, computed with PyTorch (CPU, float32).

Writes Tests/Fixtures/ops_a.h5: one group per case, holding the inputs, a random upstream
gradient `g`, the output `y` and the gradients of sum(y * g) with respect to every input
(`dx`, `dweight`, ...). Run from the package root:

    /work/venv/bin/python Tests/Fixtures/scripts/make_ops_a.py
"""

import os

import h5py
import torch
import torch.nn.functional as F

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "ops_a.h5")


def put(f, group, **tensors):
    g = f.require_group(group)
    for name, t in tensors.items():
        g.create_dataset(name, data=t.detach().to(torch.float32).contiguous().numpy())


def leaf(t):
    return t.clone().requires_grad_(True)


def run(fn, *inputs):
    """y = fn(*inputs) and the gradients of sum(y * g) for a random g."""
    xs = [leaf(t) for t in inputs]
    y = fn(*xs)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    return y, g, [x.grad for x in xs]


def batch_norm(f):
    cases = [
        ("bn_train_affine", (2, 3, 4, 5), True, True),
        ("bn_train_plain", (3, 4, 3, 3), False, True),
        ("bn_train_pool", (4, 3, 1, 1), True, True),  # ASPP image pooling: N values per channel
        ("bn_eval_affine", (2, 3, 4, 5), True, False),
        ("bn_eval_plain", (2, 2, 3, 4), False, False),
    ]
    for name, shape, affine, training in cases:
        c = shape[1]
        x = torch.randn(shape) * 2 + 0.5
        rm0 = torch.randn(c) * 0.3
        rv0 = torch.rand(c) + 0.5
        params = [torch.randn(c) * 0.5 + 1, torch.randn(c) * 0.5] if affine else []
        rm, rv = rm0.clone(), rv0.clone()

        def fn(x, *wb):
            w, b = wb if affine else (None, None)
            return F.batch_norm(x, rm, rv, w, b, training=training, momentum=0.1, eps=1e-5)

        y, g, grads = run(fn, x, *params)
        put(f, name, x=x, running_mean=rm0, running_var=rv0, y=y, g=g, dx=grads[0],
            running_mean_after=rm, running_var_after=rv)
        if affine:
            put(f, name, weight=params[0], bias=params[1], dweight=grads[1], dbias=grads[2])


def instance_norm(f):
    for name, shape in [("in_a", (2, 3, 5, 4)), ("in_b", (1, 2, 7, 6))]:
        x = torch.randn(shape) * 1.5 - 0.3
        y, g, (dx,) = run(lambda x: F.instance_norm(x, eps=1e-5), x)
        put(f, name, x=x, y=y, g=g, dx=dx)


def activations(f):
    x = torch.cat([torch.randn(2, 3, 4, 5).flatten() * 3,
                   torch.tensor([-40.0, -20.0, -1e-3, 1e-3, 20.0, 40.0])])
    for name, fn in [("relu", F.relu), ("leaky_0.2", lambda x: F.leaky_relu(x, 0.2)),
                     ("leaky_0.01", lambda x: F.leaky_relu(x, 0.01)),
                     ("tanh", torch.tanh), ("sigmoid", torch.sigmoid)]:
        y, g, (dx,) = run(fn, x)
        put(f, "act_" + name, x=x, y=y, g=g, dx=dx)


def pooling(f):
    maxes = [("max_k3s2p1", (2, 3, 9, 10), 3, 2, 1, False),
             ("max_k2s2p0", (1, 2, 8, 8), 2, 2, 0, False),
             ("max_k3s1p1_ties", (1, 2, 6, 7), 3, 1, 1, True)]
    for name, shape, k, s, p, ties in maxes:
        x = torch.randint(0, 3, shape).float() if ties else torch.randn(shape)
        y, g, (dx,) = run(lambda x: F.max_pool2d(x, k, s, p), x)
        put(f, name, x=x, y=y, g=g, dx=dx)
    avgs = [("avg_k3s2p1_incl", (2, 3, 9, 10), 3, 2, 1, True),
            ("avg_k3s2p1_excl", (2, 3, 9, 10), 3, 2, 1, False),
            ("avg_k2s2p0", (1, 2, 8, 7), 2, 2, 0, True),
            ("avg_k3s1p0", (1, 2, 6, 5), 3, 1, 0, True)]
    for name, shape, k, s, p, incl in avgs:
        x = torch.randn(shape)
        y, g, (dx,) = run(lambda x: F.avg_pool2d(x, k, s, p, count_include_pad=incl), x)
        put(f, name, x=x, y=y, g=g, dx=dx)
    x = torch.randn(2, 3, 5, 7)
    y, g, (dx,) = run(lambda x: F.adaptive_avg_pool2d(x, 1), x)
    put(f, "global_avg", x=x, y=y, g=g, dx=dx)


def resize(f):
    bilinear = [("up", (2, 3, 5, 7), (11, 16)), ("down", (2, 3, 16, 20), (5, 7)),
                ("same", (1, 2, 4, 6), (4, 6)), ("mixed", (1, 2, 6, 9), (13, 4)),
                ("from1x1", (2, 3, 1, 1), (4, 5)), ("to1x1", (1, 2, 5, 6), (1, 1))]
    for name, shape, (h, w) in bilinear:
        x = torch.randn(shape)
        for ac in (True, False):
            y, g, (dx,) = run(lambda x: F.interpolate(x, size=(h, w), mode="bilinear",
                                                      align_corners=ac), x)
            put(f, f"bilinear_{name}_{'ac' if ac else 'hp'}", x=x, y=y, g=g, dx=dx)
    nearest = [("up", (2, 3, 5, 7), (11, 16)), ("down", (2, 3, 16, 20), (5, 7)),
               ("x2", (1, 2, 4, 4), (8, 8)), ("spade", (1, 2, 16, 32), (4, 8))]
    for name, shape, (h, w) in nearest:
        x = torch.randn(shape)
        y, g, (dx,) = run(lambda x: F.interpolate(x, size=(h, w), mode="nearest"), x)
        put(f, f"nearest_{name}", x=x, y=y, g=g, dx=dx)


def spectral_norm(f):
    """A spectral-normed conv (4 -> 5, 3x3, pad 1, bias): three training forwards, then eval."""
    conv = torch.nn.utils.spectral_norm(torch.nn.Conv2d(4, 5, 3, padding=1))
    put(f, "sn", weight_orig=conv.weight_orig, bias=conv.bias, u0=conv.weight_u,
        v0=conv.weight_v)
    for step in range(3):
        conv.zero_grad()
        x = leaf(torch.randn(2, 4, 6, 5))
        y = conv(x)
        conv.weight.retain_grad()
        g = torch.randn_like(y)
        (y * g).sum().backward()
        put(f, f"sn/train{step}", x=x, g=g, y=y, u=conv.weight_u, v=conv.weight_v,
            weight=conv.weight, dweight=conv.weight.grad, dweight_orig=conv.weight_orig.grad,
            dbias=conv.bias.grad, dx=x.grad)
        with torch.no_grad():  # an optimiser step, so each forward sees a new weight
            conv.weight_orig -= 0.1 * conv.weight_orig.grad
            conv.bias -= 0.1 * conv.bias.grad
        put(f, f"sn/train{step}", weight_orig_after=conv.weight_orig, bias_after=conv.bias)
    conv.eval()
    x = torch.randn(2, 4, 6, 5)
    with torch.no_grad():
        y = conv(x)
    put(f, "sn/eval", x=x, y=y, weight=conv.weight, u=conv.weight_u, v=conv.weight_v)


with h5py.File(OUT, "w") as f:
    batch_norm(f)
    instance_norm(f)
    activations(f)
    pooling(f)
    resize(f)
    spectral_norm(f)
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
