"""resize.h5: F.interpolate, mode "bilinear" with align_corners True ("_ac") and False
("_hp", half-pixel), and legacy mode "nearest": upsampling, downsampling, same size, mixed,
from and to 1x1, and SPADE's label-map downsampling."""
import torch.nn.functional as F

from fixture_cases import FixtureFile

# name: input shape, output size
BILINEAR = {"up": ((2, 3, 5, 7), (11, 16)), "down": ((2, 3, 16, 20), (5, 7)),
            "same": ((1, 2, 4, 6), (4, 6)), "mixed": ((1, 2, 6, 9), (13, 4)),
            "from1x1": ((2, 3, 1, 1), (4, 5)), "to1x1": ((1, 2, 5, 6), (1, 1))}
NEAREST = {"up": ((2, 3, 5, 7), (11, 16)), "down": ((2, 3, 16, 20), (5, 7)),
           "x2": ((1, 2, 4, 4), (8, 8)), "spade": ((1, 2, 16, 32), (4, 8))}


def main():
    with FixtureFile("resize.h5", "make_resize.py") as f:
        for name, (shape, size) in BILINEAR.items():
            for ac in (True, False):
                f.case(f"bilinear_{name}_{'ac' if ac else 'hp'}",
                       lambda x, size=size, ac=ac: F.interpolate(
                           x, size=size, mode="bilinear", align_corners=ac),
                       lambda r, shape=shape: {"x": r.normal(*shape)},
                       attrs={"size": size, "align_corners": ac})
        for name, (shape, size) in NEAREST.items():
            f.case(f"nearest_{name}", lambda x, size=size: F.interpolate(x, size=size,
                                                                          mode="nearest"),
                   lambda r, shape=shape: {"x": r.normal(*shape)}, attrs={"size": size})


if __name__ == "__main__":
    main()
