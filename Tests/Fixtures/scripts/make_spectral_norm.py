"""spectral_norm.h5: torch.nn.utils.spectral_norm(nn.Conv2d(4, 5, 3, padding=1)), run for three
training forwards (each followed by an SGD step of 0.1 on weight_orig and bias, so every
forward sees a new weight) and one eval forward.

Per forward two cases of the one layout:
- conv_<step>: inputs x, weight_orig, bias, u, v (the power-iteration vectors before the
  call); output y; grad_output; grad_inputs x, weight_orig, bias; state_after u, v.
- weight_<step>: the weight path alone, inputs weight_orig, u, v; output the normalised
  weight; grad_output the gradient that reached it in conv_<step>; grad_inputs weight_orig.
Steps are train0, train1, train2, eval (attribute `training`).
"""
import torch
import torch.nn.functional as F

from fixture_cases import FixtureFile


def main():
    with FixtureFile("spectral_norm.h5", "make_spectral_norm.py") as f:
        conv = torch.nn.utils.spectral_norm(torch.nn.Conv2d(4, 5, 3, padding=1)).double()
        r = f.draws("initial")
        with torch.no_grad():
            conv.weight_orig.copy_(r.uniform(5, 4, 3, 3, lo=-0.3, hi=0.3))
            conv.bias.copy_(r.uniform(5))
            conv.weight_u.copy_(F.normalize(r.normal(5), dim=0, eps=1e-12))
            conv.weight_v.copy_(F.normalize(r.normal(36), dim=0, eps=1e-12))
        for step in ["train0", "train1", "train2", "eval"]:
            training = step != "eval"
            conv.train(training)
            draws = f.draws(f"conv_{step}")
            before = {"weight_orig": conv.weight_orig.detach().clone(),
                      "bias": conv.bias.detach().clone(), "u": conv.weight_u.clone(),
                      "v": conv.weight_v.clone()}
            conv.zero_grad()
            x = draws.normal(2, 4, 6, 5).double().requires_grad_(True)
            y = conv(x)
            conv.weight.retain_grad()
            g = draws.normal(*y.shape)
            y.backward(g.double())
            attrs = {"training": training, "n_power_iterations": 1, "eps": 1e-12}
            f.write_case(
                f"conv_{step}", dict(x=x, **before), y, g,
                {"x": x.grad, "weight_orig": conv.weight_orig.grad, "bias": conv.bias.grad},
                {"u": conv.weight_u, "v": conv.weight_v}, dict(attrs, stride=1, padding=1))
            f.write_case(
                f"weight_{step}", {k: before[k] for k in ("weight_orig", "u", "v")},
                conv.weight, conv.weight.grad, {"weight_orig": conv.weight_orig.grad},
                {"u": conv.weight_u, "v": conv.weight_v}, attrs)
            with torch.no_grad():
                conv.weight_orig -= 0.1 * conv.weight_orig.grad
                conv.bias -= 0.1 * conv.bias.grad


if __name__ == "__main__":
    main()
