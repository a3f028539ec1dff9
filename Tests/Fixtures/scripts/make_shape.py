"""shape.h5: torch.cat along channels, torch.flip of the width, a crop x[:, :, 1:4, 2:6] and
a 2-D transpose."""
import torch

from fixture_cases import FixtureFile


def main():
    with FixtureFile("shape.h5", "make_shape.py") as f:
        f.case("concat", lambda a, b, c: torch.cat([a, b, c], dim=1),
               lambda r: {"a": r.uniform(2, 3, 4, 5), "b": r.uniform(2, 1, 4, 5),
                          "c": r.uniform(2, 2, 4, 5)})
        f.case("flip", lambda x: torch.flip(x, dims=[-1]), lambda r: {"x": r.uniform(2, 3, 4, 5)})
        f.case("crop", lambda x: x[:, :, 1:4, 2:6], lambda r: {"x": r.uniform(2, 3, 5, 6)},
               attrs={"rows": (1, 4), "cols": (2, 6)})
        f.case("transpose", lambda x: x.t(), lambda r: {"x": r.uniform(5, 7)})


if __name__ == "__main__":
    main()
