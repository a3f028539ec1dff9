"""Regenerates every committed test fixture under Tests/Fixtures from PyTorch (CPU).

Run from the package root (torch, h5py and numpy in /root/torch):

    /root/torch/bin/python Tests/Fixtures/scripts/make_fixtures.py            # all of them
    /root/torch/bin/python Tests/Fixtures/scripts/make_fixtures.py --only pooling conv
    /root/torch/bin/python Tests/Fixtures/scripts/make_fixtures.py --list

Each name below is a script make_<name>.py in this folder, run as if from the command line
(its `if __name__ == "__main__":` part runs); adding a fixture script is adding its name to
MODULES. Op fixtures (<name>.h5) use the one
case layout of fixture_cases.py. Three kinds keep the layout their format requires:
deeplab_small.h5 (make_models.py) is a state_dict at the root, which the test loads as a
checkpoint, with its cases in the case layout under cases/; checkpoint_torch.h5
(make_checkpoint.py) is a converted state_dict in the checkpoint layout; storage.h5
(make_storage.py) exercises the HDF5 reader; optimizers.h5 holds trajectories, not op cases;
spade.h5 (make_spade.py) and inception_w16*.h5 (make_inception.py) are model fixtures (weights
by state_dict key, then inputs, outputs and gradients), and fid.h5 (make_fid.py) holds
activation statistics and scipy's distances. make_fid.py and make_inception.py also need
pytorch-fid and scipy in the venv.
Tests/Fixtures/README.md describes every file.
"""
import argparse
import os
import runpy
import sys

import torch

MODULES = [
    "activations",
    "arithmetic",
    "shape",
    "matmul",
    "math",
    "softmax",
    "losses",
    "normalization",
    "pooling",
    "resize",
    "conv",
    "spectral_norm",
    "optimizers",
    "models",
    "checkpoint",
    "storage",
    "spade",
    "fid",
    "inception",
    "torchvision_resnet",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=MODULES,
                        help="regenerate only these (names as in --list)")
    parser.add_argument("--list", action="store_true", help="print the script names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(MODULES))
        return
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    torch.set_num_threads(1)
    print("torch", torch.__version__)
    for name in args.only or MODULES:
        torch.manual_seed(0)  # for anything drawn from the global generator (module inits)
        runpy.run_path(os.path.join(here, f"make_{name}.py"), run_name="__main__")


if __name__ == "__main__":
    main()
