"""matmul.h5: F.linear with and without bias, and a @ b with either operand transposed."""
import torch.nn.functional as F

from fixture_cases import FixtureFile


def main():
    with FixtureFile("matmul.h5", "make_matmul.py") as f:
        f.case("linear", F.linear, lambda r: {"input": r.uniform(4, 6), "weight": r.uniform(3, 6),
                                              "bias": r.uniform(3)})
        f.case("linear_nobias", F.linear,
               lambda r: {"input": r.uniform(2, 3, 6), "weight": r.uniform(3, 6)})
        # name: transpose a, transpose b; a and b are stored as the op reads them
        for name, ta, tb in [("nn", 0, 0), ("tn", 1, 0), ("nt", 0, 1), ("tt", 1, 1)]:
            def fn(a, b, ta=ta, tb=tb):
                return (a.t() if ta else a) @ (b.t() if tb else b)
            f.case(f"matmul_{name}", fn,
                   lambda r, ta=ta, tb=tb: {"a": r.uniform(*((4, 3) if ta else (3, 4))),
                                            "b": r.uniform(*((5, 4) if tb else (4, 5)))},
                   attrs={"transpose_a": ta, "transpose_b": tb})


if __name__ == "__main__":
    main()
