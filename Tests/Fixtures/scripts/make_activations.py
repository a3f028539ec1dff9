"""activations.h5: F.relu, F.leaky_relu (slopes 0.2 and 0.01), torch.tanh and torch.sigmoid
on 120 N(0, 9) values plus -40, -20, -1e-3, 1e-3, 20, 40 (saturation and the kink)."""
import torch
import torch.nn.functional as F

from fixture_cases import FixtureFile

CASES = {
    "relu": F.relu,
    "leaky_0.2": lambda x: F.leaky_relu(x, 0.2),
    "leaky_0.01": lambda x: F.leaky_relu(x, 0.01),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}
EXTREMES = torch.tensor([-40.0, -20.0, -1e-3, 1e-3, 20.0, 40.0])


def main():
    with FixtureFile("activations.h5", "make_activations.py") as f:
        for name, fn in CASES.items():
            f.case(name, lambda x, fn=fn: fn(x),
                   lambda r: {"x": torch.cat([r.normal(120, std=3), EXTREMES])})


if __name__ == "__main__":
    main()
