#!/usr/bin/env python3
"""Writes the Inception-v3 (pytorch-fid) fixtures for InceptionTests.swift:

- Tests/Fixtures/keys/fid_inception_v3.txt: the state_dict keys and shapes of pytorch-fid's
  `fid_inception_v3()` (= the keys of its published pt_inception-2015-12-05-6726825d.pth), one
  "key shape" line each, in state_dict order.
- Tests/Fixtures/inception_w16.h5: seeded random weights of the same network with every
  channel count divided by 16 (2048 -> 128 features), in repro's checkpoint layout
  (Sources/Storage/Checkpoint.swift), as inception_convert.py writes a converted weight file.
- Tests/Fixtures/inception_w16_io.h5: uint8 RGB images (N, H, W, 3) `<set>.images` and the
  float32 pool3 features `<set>.features` (N, 128) of pytorch-fid's forward on them
  (ToTensor /255, bilinear resize to 299x299, 2x - 1, network), for the sets "small"
  (2 noise images 41x57, upsampled) and "large" (1 smooth image 311x333, downsampled).

First it proves the reduced-width re-statement (fid_inception_torch.FIDInception) is
pytorch-fid's network at full width: same keys and shapes as pytorch-fid's own module, and the
same output for the same random weights. Needs torch, h5py, numpy and pytorch-fid.
Run: /root/torch/bin/python Tests/Fixtures/scripts/make_inception.py
"""
import os

import h5py
import numpy as np
import torch

from fid_inception_torch import FIDInception, check_against_pytorch_fid, randomize

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WIDTH = 16


def smooth_image(generator, h, w):
    """Gradients plus a few rectangles: compresses well, exercises the resize."""
    y, x = torch.meshgrid(torch.linspace(0, 1, h), torch.linspace(0, 1, w), indexing="ij")
    img = torch.stack([x, y, (x + y) / 2], -1) * 200
    for _ in range(6):
        r0, c0 = torch.randint(0, h - 20, (1,), generator=generator).item(), \
            torch.randint(0, w - 20, (1,), generator=generator).item()
        colour = torch.randint(0, 256, (3,), generator=generator).float()
        img[r0:r0 + 40, c0:c0 + 60] = colour
    return img.round().clamp(0, 255).to(torch.uint8)


def main():
    torch.set_num_threads(1)
    inner, diff, scale = check_against_pytorch_fid()
    print(f"FIDInception(1) == pytorch-fid InceptionV3([3]): max |diff| {diff} "
          f"(max |feature| {scale:.4f})")
    with open(os.path.join(FIXTURES, "keys", "fid_inception_v3.txt"), "w") as f:
        for k, v in inner.state_dict().items():
            f.write(f"{k} {list(v.shape)}\n".replace(", ", ","))

    g = torch.Generator().manual_seed(2026)
    net = FIDInception(WIDTH).eval()
    randomize(net, g)
    with h5py.File(os.path.join(FIXTURES, "inception_w16.h5"), "w", track_order=True) as f:
        for k, v in net.state_dict().items():
            a = v.numpy()
            f.create_dataset(k, data=a.astype(np.int64 if k.endswith("tracked") else np.float32))
        f.attrs["format_version"] = 1
        f.attrs["writer"] = f"make_inception.py (torch {torch.__version__})"

    sets = {
        "small": torch.randint(0, 256, (2, 41, 57, 3), generator=g, dtype=torch.uint8),
        "large": smooth_image(g, 311, 333)[None],
    }
    with h5py.File(os.path.join(FIXTURES, "inception_w16_io.h5"), "w", track_order=True) as f:
        for name, images in sets.items():
            x = images.permute(0, 3, 1, 2).float().div(255)  # ToTensor
            with torch.no_grad():
                feats = net(x)
            f.create_dataset(f"{name}.images", data=images.numpy(), compression="gzip")
            f.create_dataset(f"{name}.features", data=feats.numpy().astype(np.float32))
            print(f"{name}: images {tuple(images.shape)}, features {tuple(feats.shape)}, "
                  f"max {feats.abs().max().item():.4f}, mean {feats.mean().item():.4f}")


if __name__ == "__main__":
    main()
