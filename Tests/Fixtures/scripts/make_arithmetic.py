"""arithmetic.h5: +, -, *, / with broadcasting (same shape, per channel, per sample and
channel, bias rows, outer product, channel on the left) and with a scalar."""
from fixture_cases import FixtureFile

OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
       "div": lambda a, b: a / b}
# name: op, shape of a, shape of b
CASES = {
    "add_same": ("add", (2, 3, 4, 5), (2, 3, 4, 5)),
    "add_channel": ("add", (2, 3, 4, 5), (1, 3, 1, 1)),
    "add_bias": ("add", (4, 6), (6,)),
    "sub_sample_channel": ("sub", (2, 3, 4, 5), (2, 3, 1, 1)),
    "sub_left_channel": ("sub", (1, 3, 1, 1), (2, 3, 4, 5)),
    "mul_channel": ("mul", (2, 3, 4, 5), (1, 3, 1, 1)),
    "mul_left_sample_channel": ("mul", (2, 3, 1, 1), (2, 3, 4, 5)),
    "mul_outer": ("mul", (4, 1), (1, 6)),
    "div_channel": ("div", (2, 3, 4, 5), (1, 3, 1, 1)),
}


def main():
    with FixtureFile("arithmetic.h5", "make_arithmetic.py") as f:
        for name, (op, a, b) in CASES.items():
            lo = 0.5 if op == "div" else -1.0  # divisors in U(0.5, 2)
            hi = 2.0 if op == "div" else 1.0
            f.case(name, OPS[op], lambda r: {"a": r.uniform(*a), "b": r.uniform(*b, lo=lo, hi=hi)},
                   attrs={"op": op})
        f.case("mul_scalar", lambda x: x * 2.5, lambda r: {"x": r.uniform(2, 3, 4)},
               attrs={"scalar": 2.5})
        f.case("add_scalar", lambda x: x + 0.75, lambda r: {"x": r.uniform(2, 3, 4)},
               attrs={"scalar": 0.75})


if __name__ == "__main__":
    main()
