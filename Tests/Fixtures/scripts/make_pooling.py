"""pooling.h5: F.max_pool2d (k3 s2 p1, k2 s2 p0, and k3 s1 p1 on integer-valued input full of
ties), F.avg_pool2d (count_include_pad both ways, without padding) and
F.adaptive_avg_pool2d(x, 1)."""
import torch.nn.functional as F

from fixture_cases import FixtureFile

# name: shape, kernel, stride, padding, ties (integer values in 0..2)
MAX = {
    "max_k3s2p1": ((2, 3, 9, 10), 3, 2, 1, False),
    "max_k2s2p0": ((1, 2, 8, 8), 2, 2, 0, False),
    "max_k3s1p1_ties": ((1, 2, 6, 7), 3, 1, 1, True),
}
# name: shape, kernel, stride, padding, count_include_pad
AVG = {
    "avg_k3s2p1_incl": ((2, 3, 9, 10), 3, 2, 1, True),
    "avg_k3s2p1_excl": ((2, 3, 9, 10), 3, 2, 1, False),
    "avg_k2s2p0": ((1, 2, 8, 7), 2, 2, 0, True),
    "avg_k3s1p0": ((1, 2, 6, 5), 3, 1, 0, True),
}


def main():
    with FixtureFile("pooling.h5", "make_pooling.py") as f:
        for name, (shape, k, s, p, ties) in MAX.items():
            f.case(name, lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, s, p),
                   lambda r, shape=shape, ties=ties: {
                       "x": r.integers(0, 3, *shape).float() if ties else r.normal(*shape)},
                   attrs={"kernel": k, "stride": s, "padding": p})
        for name, (shape, k, s, p, incl) in AVG.items():
            f.case(name, lambda x, k=k, s=s, p=p, incl=incl: F.avg_pool2d(
                       x, k, s, p, count_include_pad=incl),
                   lambda r, shape=shape: {"x": r.normal(*shape)},
                   attrs={"kernel": k, "stride": s, "padding": p, "count_include_pad": incl})
        f.case("global_avg", lambda x: F.adaptive_avg_pool2d(x, 1),
               lambda r: {"x": r.normal(2, 3, 5, 7)})


if __name__ == "__main__":
    main()
