"""conv.h5: F.conv2d(x, weight, bias, stride, padding, dilation): pointwise, strided, 7x7,
dilated (2 and 6, DeepLab's ASPP), non-square kernels, with and without bias."""
import torch.nn.functional as F

from fixture_cases import FixtureFile

# name: (N, C, H, W), (K, kh, kw), stride, padding, dilation, bias
CASES = {
    "k3_s1_p1": ((2, 3, 6, 7), (4, 3, 3), 1, 1, 1, True),
    "k1_s1_p0": ((2, 5, 4, 6), (3, 1, 1), 1, 0, 1, True),
    "k1_s2_p0_nobias": ((2, 4, 7, 5), (6, 1, 1), 2, 0, 1, False),
    "k7_s2_p3": ((2, 3, 13, 10), (4, 7, 7), 2, 3, 1, True),
    "k3_s1_p2_d2_nobias": ((2, 3, 9, 8), (5, 3, 3), 1, 2, 2, False),
    "k3_s1_p6_d6": ((1, 2, 15, 14), (3, 3, 3), 1, 6, 6, True),
    "k3_s2_p1": ((2, 4, 9, 11), (3, 3, 3), 2, 1, 1, True),
    "k2x3_s1_p0": ((2, 3, 5, 8), (2, 2, 3), 1, 0, 1, True),
}


def main():
    with FixtureFile("conv.h5", "make_conv.py") as f:
        for name, (xs, (k, kh, kw), s, p, d, has_bias) in CASES.items():
            def draw(r, xs=xs, k=k, kh=kh, kw=kw, has_bias=has_bias):
                inputs = {"x": r.uniform(*xs), "weight": r.uniform(k, xs[1], kh, kw, lo=-0.5,
                                                                      hi=0.5)}
                if has_bias:
                    inputs["bias"] = r.uniform(k)
                return inputs

            f.case(name, lambda x, weight, bias=None, s=s, p=p, d=d: F.conv2d(
                       x, weight, bias, stride=s, padding=p, dilation=d),
                   draw, attrs={"stride": s, "padding": p, "dilation": d})


if __name__ == "__main__":
    main()
