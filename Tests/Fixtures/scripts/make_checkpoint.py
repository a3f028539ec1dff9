"""checkpoint_torch.h5: a PyTorch state_dict converted by checkpoint_convert.py to-h5, in the
checkpoint layout (Sources/Storage/Checkpoint.swift: one root dataset per state_dict key),
not the op-fixture layout: it tests that very format.

The tiny model is conv -> bn -> fc (keys conv.weight ... fc.bias) with exact values: key
number k (in state_dict order) holds arange(n) * 0.125 + k, and bn.num_batches_tracked is 7.
The .h5 is also converted back to .pth and checked to equal the original state_dict.
"""
import os
import subprocess
import sys
import tempfile

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "checkpoint_torch.h5")


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3, 4)


def main():
    model = Tiny()
    state = model.state_dict()
    with torch.no_grad():
        for k, (name, value) in enumerate(state.items()):
            if value.is_floating_point():
                n = value.numel()
                value.copy_((torch.arange(n, dtype=torch.float32) * 0.125 + k).reshape(value.shape))
            else:
                value.fill_(7)

    convert = [sys.executable, os.path.join(HERE, "checkpoint_convert.py")]
    with tempfile.TemporaryDirectory() as tmp:
        pth = os.path.join(tmp, "tiny.pth")
        torch.save(model.state_dict(), pth)
        subprocess.run(convert + ["to-h5", pth, OUT], check=True)
        back = os.path.join(tmp, "back.pth")
        subprocess.run(convert + ["to-pth", OUT, back], check=True)
        restored = torch.load(back, weights_only=True)
        original = model.state_dict()
        assert list(restored) == list(original), (list(restored), list(original))
        for name in original:
            assert restored[name].dtype == original[name].dtype, name
            assert torch.equal(restored[name], original[name]), name
        Tiny().load_state_dict(restored)
    print("wrote", os.path.relpath(OUT), list(model.state_dict()))


if __name__ == "__main__":
    main()
