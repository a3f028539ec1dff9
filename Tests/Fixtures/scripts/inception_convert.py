#!/usr/bin/env python3
"""Converts pytorch-fid's published Inception-v3 weights to the HDF5 file repro loads.

  python inception_convert.py pt_inception-2015-12-05-6726825d.pth inception.h5
      [--reference features.h5]

The .pth (from pytorch-fid's releases, `FID_WEIGHTS_URL` in pytorch_fid/inception.py) is a
plain state_dict of torchvision's Inception3 with pytorch-fid's FID blocks and a 1008-way
classifier. Its keys and shapes are checked against Tests/Fixtures/keys/fid_inception_v3.txt
(made from pytorch-fid's own module by make_inception.py; num_batches_tracked may be absent);
any other file is refused with the differences listed. The output is repro's checkpoint
layout (checkpoint_convert.py to-h5): load it with
`InceptionExtractor(weightsFile: "inception.h5")`. The SHA-256 of both files is printed; the
.h5's is the one repro prints beside every FID.

With --reference (needs pytorch-fid installed), pytorch-fid's InceptionV3 with these weights
is run on the fixture images of Tests/Fixtures/inception_w16_io.h5 and its features are
written to features.h5, for InceptionTests' optional full-width check
(REPRO_FID_WEIGHTS=inception.h5 REPRO_FID_REFERENCE=features.h5 swift test --filter Inception).
Needs torch, h5py and numpy.
"""
import argparse
import hashlib
import os
import sys

import h5py
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from checkpoint_convert import load_state_dict, to_h5  # noqa: E402

KEYS = os.path.join(HERE, "..", "keys", "fid_inception_v3.txt")


def expected_shapes():
    shapes = {}
    with open(KEYS) as f:
        for line in f:
            key, shape = line.split()
            shapes[key] = [int(s) for s in shape.strip("[]").split(",") if s]
    return shapes


def check(path, state):
    expected = expected_shapes()
    missing = [k for k in expected if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in expected]
    wrong = [f"{k} {list(state[k].shape)} (expected {expected[k]})"
             for k in state if k in expected and list(state[k].shape) != expected[k]]
    if missing or unexpected or wrong:
        sys.exit(f"{path}: not pytorch-fid's Inception-v3 weights: {len(missing)} keys missing "
                 f"{missing[:5]}, {len(unexpected)} unexpected {unexpected[:5]}, "
                 f"{len(wrong)} with other shapes {wrong[:5]}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def reference(state, out):
    from fid_inception_torch import pytorch_fid_network

    wrapper, inner = pytorch_fid_network()
    inner.load_state_dict(state, strict=False)
    blocks = [["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3"],
              ["Conv2d_3b_1x1", "Conv2d_4a_3x3"],
              ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
               "Mixed_6d", "Mixed_6e"],
              ["Mixed_7a", "Mixed_7b", "Mixed_7c"]]
    for b, names in enumerate(blocks):
        for i, name in enumerate(names):
            wrapper.blocks[b][i].load_state_dict(getattr(inner, name).state_dict())
    wrapper.eval()
    src = os.path.join(HERE, "..", "inception_w16_io.h5")
    with h5py.File(src, "r") as f, h5py.File(out, "w", track_order=True) as g:
        for name in ("small", "large"):
            images = torch.from_numpy(f[f"{name}.images"][()])
            with torch.no_grad():
                feats = wrapper(images.permute(0, 3, 1, 2).float().div(255))[0].flatten(1)
            g.create_dataset(f"{name}.features", data=feats.numpy())
    print(f"wrote pytorch-fid's features of the fixture images to {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", help="pytorch-fid's pt_inception-2015-12-05-*.pth")
    parser.add_argument("dst", help="the .h5 to write")
    parser.add_argument("--reference", help="also write pytorch-fid's features of the "
                        "fixture images here")
    args = parser.parse_args()
    state = load_state_dict(args.src)
    check(args.src, state)
    to_h5(args.src, args.dst)
    print(f"{args.src}: sha256 {sha256(args.src)}")
    print(f"{args.dst}: sha256 {sha256(args.dst)}")
    if args.reference:
        reference(state, args.reference)


if __name__ == "__main__":
    main()
