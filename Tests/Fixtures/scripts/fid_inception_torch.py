"""pytorch-fid's Inception-v3 at any width, and pytorch-fid itself, for the fixture scripts.

`FIDInception(w)` re-states pytorch-fid's network (`InceptionV3([3])` over
`fid_inception_v3()`: torchvision's Inception3 blocks with the FID variants of Mixed_5b-d,
6b-e, 7b, 7c) with every channel count divided by w, under Inception3's state_dict keys.
`check_against_pytorch_fid()` proves that at w = 1 it is pytorch-fid's network: same keys and
shapes, same output for the same random weights. `pytorch_fid_network()` builds pytorch-fid's
own module without downloading its weights.
"""
import sys
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

# pytorch-fid imports torchvision; a CPU torch whose torchvision C++ ops do not load fails in
# torchvision._meta_registrations, which the Inception model does not need.
sys.modules.setdefault("torchvision._meta_registrations",
                       types.ModuleType("torchvision._meta_registrations"))


class Conv(nn.Module):
    """Inception's BasicConv2d: conv (no bias) -> BN (eps 0.001) -> ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg3(x):
    return F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)


class A(nn.Module):
    def __init__(self, c, pool, w):
        super().__init__()
        self.branch1x1 = Conv(c, 64 // w, 1)
        self.branch5x5_1 = Conv(c, 48 // w, 1)
        self.branch5x5_2 = Conv(48 // w, 64 // w, 5, padding=2)
        self.branch3x3dbl_1 = Conv(c, 64 // w, 1)
        self.branch3x3dbl_2 = Conv(64 // w, 96 // w, 3, padding=1)
        self.branch3x3dbl_3 = Conv(96 // w, 96 // w, 3, padding=1)
        self.branch_pool = Conv(c, pool, 1)

    def forward(self, x):
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch1x1(x), b5, b3, self.branch_pool(avg3(x))], 1)


class B(nn.Module):
    def __init__(self, c, w):
        super().__init__()
        self.branch3x3 = Conv(c, 384 // w, 3, stride=2)
        self.branch3x3dbl_1 = Conv(c, 64 // w, 1)
        self.branch3x3dbl_2 = Conv(64 // w, 96 // w, 3, padding=1)
        self.branch3x3dbl_3 = Conv(96 // w, 96 // w, 3, stride=2)

    def forward(self, x):
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch3x3(x), b3, F.max_pool2d(x, 3, stride=2)], 1)


class C(nn.Module):
    def __init__(self, c, c7, w):
        super().__init__()
        self.branch1x1 = Conv(c, 192 // w, 1)
        self.branch7x7_1 = Conv(c, c7, 1)
        self.branch7x7_2 = Conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = Conv(c7, 192 // w, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = Conv(c, c7, 1)
        self.branch7x7dbl_2 = Conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = Conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = Conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = Conv(c7, 192 // w, (1, 7), padding=(0, 3))
        self.branch_pool = Conv(c, 192 // w, 1)

    def forward(self, x):
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        d = x
        for i in range(1, 6):
            d = getattr(self, f"branch7x7dbl_{i}")(d)
        return torch.cat([self.branch1x1(x), b7, d, self.branch_pool(avg3(x))], 1)


class D(nn.Module):
    def __init__(self, c, w):
        super().__init__()
        self.branch3x3_1 = Conv(c, 192 // w, 1)
        self.branch3x3_2 = Conv(192 // w, 320 // w, 3, stride=2)
        self.branch7x7x3_1 = Conv(c, 192 // w, 1)
        self.branch7x7x3_2 = Conv(192 // w, 192 // w, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = Conv(192 // w, 192 // w, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = Conv(192 // w, 192 // w, 3, stride=2)

    def forward(self, x):
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = x
        for i in range(1, 5):
            b7 = getattr(self, f"branch7x7x3_{i}")(b7)
        return torch.cat([b3, b7, F.max_pool2d(x, 3, stride=2)], 1)


class E(nn.Module):
    def __init__(self, c, w, max_pool):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = Conv(c, 320 // w, 1)
        self.branch3x3_1 = Conv(c, 384 // w, 1)
        self.branch3x3_2a = Conv(384 // w, 384 // w, (1, 3), padding=(0, 1))
        self.branch3x3_2b = Conv(384 // w, 384 // w, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = Conv(c, 448 // w, 1)
        self.branch3x3dbl_2 = Conv(448 // w, 384 // w, 3, padding=1)
        self.branch3x3dbl_3a = Conv(384 // w, 384 // w, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = Conv(384 // w, 384 // w, (3, 1), padding=(1, 0))
        self.branch_pool = Conv(c, 192 // w, 1)

    def forward(self, x):
        t = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(t), self.branch3x3_2b(t)], 1)
        u = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(u), self.branch3x3dbl_3b(u)], 1)
        p = F.max_pool2d(x, 3, stride=1, padding=1) if self.max_pool else avg3(x)
        return torch.cat([self.branch1x1(x), b3, bd, self.branch_pool(p)], 1)


class FIDInception(nn.Module):
    """pytorch-fid's InceptionV3([3]) forward with channel counts divided by w."""

    def __init__(self, w=1):
        super().__init__()
        self.Conv2d_1a_3x3 = Conv(3, 32 // w, 3, stride=2)
        self.Conv2d_2a_3x3 = Conv(32 // w, 32 // w, 3)
        self.Conv2d_2b_3x3 = Conv(32 // w, 64 // w, 3, padding=1)
        self.Conv2d_3b_1x1 = Conv(64 // w, 80 // w, 1)
        self.Conv2d_4a_3x3 = Conv(80 // w, 192 // w, 3)
        self.Mixed_5b = A(192 // w, 32 // w, w)
        self.Mixed_5c = A(256 // w, 64 // w, w)
        self.Mixed_5d = A(288 // w, 64 // w, w)
        self.Mixed_6a = B(288 // w, w)
        self.Mixed_6b = C(768 // w, 128 // w, w)
        self.Mixed_6c = C(768 // w, 160 // w, w)
        self.Mixed_6d = C(768 // w, 160 // w, w)
        self.Mixed_6e = C(768 // w, 192 // w, w)
        self.Mixed_7a = D(768 // w, w)
        self.Mixed_7b = E(1280 // w, w, max_pool=False)
        self.Mixed_7c = E(2048 // w, w, max_pool=True)

    def forward(self, x):
        """x: (N, 3, H, W) in [0, 1] -> (N, 2048 // w) pool3 features."""
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, 3, stride=2)
        x = F.max_pool2d(self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x)), 3, stride=2)
        for name in ("5b", "5c", "5d", "6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c"):
            x = getattr(self, f"Mixed_{name}")(x)
        return F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)


def pytorch_fid_network():
    """pytorch-fid's InceptionV3([3]) and its inner Inception3, without the weight download
    (random weights)."""
    from pytorch_fid import inception as fid

    fid.load_state_dict_from_url = lambda *args, **kwargs: None
    original = nn.Module.load_state_dict
    nn.Module.load_state_dict = lambda self, state, *args, **kwargs: None
    try:
        wrapper = fid.InceptionV3([fid.InceptionV3.BLOCK_INDEX_BY_DIM[2048]])
        inner = fid.fid_inception_v3()
    finally:
        nn.Module.load_state_dict = original
    return wrapper, inner


def randomize(model, generator):
    """Seeded weights that keep activations in a sensible range: Kaiming-normal convs, BN
    weight U(0.5, 1.5), bias N(0, 0.1), running mean N(0, 0.1), running var U(0.5, 1.5)."""
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("conv.weight") or name == "fc.weight":
                fan_in = t[0].numel()
                t.copy_(torch.randn(t.shape, generator=generator) * (2 / fan_in) ** 0.5)
            elif name.endswith("bn.weight") or name.endswith("running_var"):
                t.copy_(torch.rand(t.shape, generator=generator) + 0.5)
            else:
                t.copy_(torch.randn(t.shape, generator=generator) * 0.1)


def check_against_pytorch_fid():
    """Asserts that FIDInception(1) is pytorch-fid's network: keys, shapes and output."""
    wrapper, inner = pytorch_fid_network()
    mine = FIDInception(1).eval()
    ref = {k: v.shape for k, v in inner.state_dict().items() if not k.startswith("fc.")}
    got = {k: v.shape for k, v in mine.state_dict().items()}
    assert ref == got, "key or shape mismatch with pytorch-fid's fid_inception_v3"
    randomize(mine, torch.Generator().manual_seed(7))
    wrapper.eval()
    inner_state = mine.state_dict()
    # The wrapper holds the same modules as `inner` would; load by Inception3 key.
    blocks = [["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", None],
              ["Conv2d_3b_1x1", "Conv2d_4a_3x3", None],
              ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
               "Mixed_6d", "Mixed_6e"],
              ["Mixed_7a", "Mixed_7b", "Mixed_7c", None]]
    state = {}
    for b, names in enumerate(blocks):
        for i, name in enumerate(names):
            if name is None:
                continue
            for k, v in inner_state.items():
                if k.startswith(name + "."):
                    state[f"blocks.{b}.{i}.{k[len(name) + 1:]}"] = v
    wrapper.load_state_dict(state, strict=True)
    x = torch.rand((2, 3, 61, 83), generator=torch.Generator().manual_seed(8))
    with torch.no_grad():
        a = wrapper(x)[0].flatten(1)
        b = mine(x)
    diff = (a - b).abs().max().item()
    scale = a.abs().max().item()
    assert scale > 0.1, f"degenerate test output (max |feature| {scale})"
    assert diff <= 1e-5 * scale, f"output differs from pytorch-fid by {diff}"
    return inner, diff, scale
