"""math.h5: torch.exp, torch.log on U(0.2, 2), torch.sum and torch.mean of a whole tensor."""
import torch

from fixture_cases import FixtureFile


def main():
    with FixtureFile("math.h5", "make_math.py") as f:
        f.case("exp", torch.exp, lambda r: {"input": r.uniform(2, 3, 4)})
        f.case("log", torch.log, lambda r: {"input": r.uniform(2, 3, 4, lo=0.2, hi=2.0)})
        f.case("sum", torch.sum, lambda r: {"input": r.uniform(2, 3, 4, 5)})
        f.case("mean", torch.mean, lambda r: {"input": r.uniform(2, 3, 4, 5)})


if __name__ == "__main__":
    main()
