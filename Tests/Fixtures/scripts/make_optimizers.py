"""optimizers.h5: torch.optim trajectories, five steps on fixed standard-normal gradients for
two parameters (3x4 and 5), one parameter group each unless said otherwise.

Not an op, so not the case layout: per trajectory `<case>/` holds initial/<param>,
grads/<param> (steps, ...) (the gradient given before each step), after/<param> (steps, ...)
(the parameter after each step) and lr (steps, groups) (the learning rate of each group at
each step); the hyper-parameters are attributes of the group. Runs in float32, as torch.optim
does for float32 parameters.
"""
import torch

from fixture_cases import FixtureFile

STEPS = 5
SHAPES = [(3, 4), (5,)]


def poly(base, t, total):
    """CAC's Poly schedule: base * (1 - t / T) ** 0.9."""
    return base * pow((1 - 1.0 * t / total), 0.9)


def trajectory(f, name, make, lrs, attrs):
    r = f.draws(name)
    params = [torch.nn.Parameter(r.uniform(*s)) for s in SHAPES]
    group = f.group(name)
    for key, value in attrs.items():
        group.attrs[key] = value
    for i, p in enumerate(params):
        f.group(f"{name}/initial").create_dataset(f"p{i}", data=p.detach().numpy().copy())
    opt = make(params)
    grads, after, rates = [[] for _ in params], [[] for _ in params], []
    for t in range(STEPS):
        rates.append(lrs(t))
        for param_group, lr in zip(opt.param_groups, lrs(t)):
            param_group["lr"] = lr
        for i, p in enumerate(params):
            p.grad = r.normal(*p.shape)
            grads[i].append(p.grad.clone())
        opt.step()
        for i, p in enumerate(params):
            after[i].append(p.detach().clone())
    for i in range(len(params)):
        f.group(f"{name}/grads").create_dataset(f"p{i}", data=torch.stack(grads[i]).numpy())
        f.group(f"{name}/after").create_dataset(f"p{i}", data=torch.stack(after[i]).numpy())
    group.create_dataset("lr", data=torch.tensor(rates, dtype=torch.float64).numpy())


def main():
    with FixtureFile("optimizers.h5", "make_optimizers.py", torch.float32) as f:
        # CAC: SGD momentum 0.9, wd 1e-4, two groups (head lr 0.1, backbone lr 0.01), Poly, T = 8.
        trajectory(f, "sgd", lambda ps: torch.optim.SGD(
            [{"params": [ps[0]], "lr": 0.1}, {"params": [ps[1]], "lr": 0.01}], lr=0.1,
            momentum=0.9, weight_decay=1e-4),
            lambda t: [poly(0.1, t, 8), poly(0.01, t, 8)],
            {"momentum": 0.9, "weight_decay": 1e-4, "poly_iterations": 8})
        # SPADE: Adam betas (0, 0.9), lr 1e-4 (G) / 4e-4 (D) as two groups.
        trajectory(f, "adam_spade", lambda ps: torch.optim.Adam(
            [{"params": [ps[0]], "lr": 1e-4}, {"params": [ps[1]], "lr": 4e-4}], betas=(0.0, 0.9)),
            lambda t: [1e-4, 4e-4], {"beta1": 0.0, "beta2": 0.9})
        # Adam defaults with L2 weight decay.
        trajectory(f, "adam_wd", lambda ps: torch.optim.Adam(ps, lr=1e-2, weight_decay=0.01),
                   lambda t: [1e-2], {"beta1": 0.9, "beta2": 0.999, "weight_decay": 0.01})


if __name__ == "__main__":
    main()
