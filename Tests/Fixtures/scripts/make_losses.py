"""losses.h5: F.l1_loss (mean) and F.cross_entropy(ignore_index=255) on (2, 6, 7, 9) logits
with about a quarter of the labels ignored (labels int32, no gradient)."""
import torch.nn.functional as F

from fixture_cases import FixtureFile


def labels(r):
    out = r.integers(0, 6, 2, 7, 9)
    out[r.uniform(2, 7, 9, lo=0, hi=1) < 0.25] = 255
    return out


def main():
    with FixtureFile("losses.h5", "make_losses.py") as f:
        f.case("l1", F.l1_loss, lambda r: {"input": r.uniform(2, 3, 4, 5),
                                           "target": r.uniform(2, 3, 4, 5)})
        f.case("cross_entropy", lambda input, target: F.cross_entropy(input, target,
                                                                      ignore_index=255),
               lambda r: {"input": r.uniform(2, 6, 7, 9, lo=-4, hi=4), "target": labels(r)},
               attrs={"ignore_index": 255})


if __name__ == "__main__":
    main()
