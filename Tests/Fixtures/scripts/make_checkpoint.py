"""Writes Tests/Fixtures/checkpoint_torch.h5 with checkpoint_convert.py from a tiny PyTorch
model (conv -> bn -> fc, keys conv.weight ... fc.bias), whose tensors hold exact values:
key number k (in state_dict order) holds arange(n) * 0.125 + k, and bn.num_batches_tracked
is 7. Also converts the .h5 back to .pth and checks it equals the original state_dict.
Run: python Tests/Fixtures/scripts/make_checkpoint.py"""
import os
import subprocess
import sys
import tempfile

import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "checkpoint_torch.h5")


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3, 4)


model = Tiny()
state = model.state_dict()
with torch.no_grad():
    for k, (name, value) in enumerate(state.items()):
        if value.is_floating_point():
            value.copy_((torch.arange(value.numel(), dtype=torch.float32) * 0.125 + k).reshape(value.shape))
        else:
            value.fill_(7)

convert = [sys.executable, os.path.join(here, "checkpoint_convert.py")]
with tempfile.TemporaryDirectory() as tmp:
    pth = os.path.join(tmp, "tiny.pth")
    torch.save(model.state_dict(), pth)
    subprocess.run(convert + ["to-h5", pth, out], check=True)
    back = os.path.join(tmp, "back.pth")
    subprocess.run(convert + ["to-pth", out, back], check=True)
    restored = torch.load(back, weights_only=True)
    original = model.state_dict()
    assert list(restored) == list(original), (list(restored), list(original))
    for name in original:
        assert restored[name].dtype == original[name].dtype, name
        assert torch.equal(restored[name], original[name]), name
    Tiny().load_state_dict(restored)
print(out, list(model.state_dict()))
