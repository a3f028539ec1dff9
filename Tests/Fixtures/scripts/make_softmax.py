"""softmax.h5: F.softmax and F.log_softmax over the channels of U(-3, 3) logits."""
import torch.nn.functional as F

from fixture_cases import FixtureFile


def main():
    with FixtureFile("softmax.h5", "make_softmax.py") as f:
        for name, fn in [("softmax", F.softmax), ("log_softmax", F.log_softmax)]:
            f.case(name, lambda x, fn=fn: fn(x, dim=1),
                   lambda r: {"x": r.uniform(2, 5, 3, 4, lo=-3, hi=3)}, attrs={"dim": 1})


if __name__ == "__main__":
    main()
