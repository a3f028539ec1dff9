"""Key manifests and the forward/backward fixture of the Swift Models target.

Run from the package root (make_fixtures.py runs it as `--only models`):

    /root/torch/bin/python Tests/Fixtures/scripts/make_models.py

Writes
- Tests/Fixtures/keys/cac_deeplab_resnet50_3x19.txt: the full-size model (ResNet-50, output
  stride 16, three 19-class heads, projector), one `key [shape]` line per state_dict entry in
  state_dict order;
- Tests/Fixtures/keys/cac_deeplab_resnet50_1x19.txt: the same with one head (CAC's own
  `classifier.*` naming);
- Tests/Fixtures/keys/deeplab_small.txt: the reduced test model below;
- Tests/Fixtures/deeplab_small.h5: that model's state_dict at the root (one dataset per key,
  `num_batches_tracked` int64: the checkpoint layout, so the test loads it as a checkpoint)
  and, under `cases/`, cases in the op-fixture layout (fixture_cases.py): `train` (inputs x and
  labels, output the loss, grad_inputs the gradients of 14 parameters by state_dict key,
  state_after 4 running statistics) and the eval outputs `eval_features`, `eval_logits_1`,
  `eval_projection`, `eval_output_0_row` (input x a soft link to
  the train case's).

The backbone keys and the ResNet-50 parameter count (23,508,032 without fc) are checked
against torchvision's resnet50 when torchvision imports.
"""
import os
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deeplab_torch as D  # noqa: E402
from fixture_cases import FixtureFile  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")

# The reduced test model: 1/16 width, one bottleneck per stage except layer4 (multi-grid 2, 4),
# two domains with 3 and 4 classes, a 128x112 input so that layer4 is 8x7 and the rate-6 ASPP
# branch reaches real neighbours.
SMALL = dict(classes=(3, 4), blocks=(1, 1, 1, 2), output_stride=16, width_divisor=16)
N, H, W = 2, 128, 112


def write_manifest(model, name):
    path = os.path.join(FIXTURES, "keys", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for k, v in model.state_dict().items():
            f.write(f"{k} [{','.join(str(s) for s in v.shape)}]\n")
    print("wrote", path)


def check_against_torchvision():
    try:
        import torch.library
        # The PyPI torchvision wheel's C ops do not load with the +cpu torch build; the model
        # code is pure Python, so registering fake kernels is skipped.
        torch.library.register_fake = lambda *a, **k: (lambda f: f)
        import torchvision
    except Exception as e:  # noqa: BLE001
        print("torchvision not importable, backbone check skipped:", e)
        return
    tv = {k: tuple(v.shape) for k, v in torchvision.models.resnet50().state_dict().items()
          if not k.startswith("fc.")}
    ours = {k: tuple(v.shape) for k, v in D.ResNet().state_dict().items()}
    assert list(tv) == list(ours) and tv == ours, "backbone keys differ from torchvision"
    count = sum(v.numel() for k, v in torchvision.models.resnet50().named_parameters()
                if not k.startswith("fc."))
    assert count == 23_508_032, count
    print("backbone keys and shapes equal torchvision", torchvision.__version__, "resnet50; "
          f"{count} parameters without fc")


def randomize_batch_norms(model, gen):
    """Non-trivial BN affine parameters and running statistics, so eval mode tests them."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = torch.rand(c, generator=gen) + 0.5
            m.bias.data = torch.randn(c, generator=gen) * 0.1
            m.running_mean.data = torch.randn(c, generator=gen) * 0.1
            m.running_var.data = torch.rand(c, generator=gen) * 1.5 + 0.5
            m.num_batches_tracked.fill_(7)


def labels(n, h, w, classes):
    """The training labels, also computed in Swift: blocks of classes, some pixels ignored."""
    i = np.arange(h)[:, None]
    j = np.arange(w)[None, :]
    out = np.stack([(i // 8 + 2 * (j // 8) + b) % classes for b in range(n)])
    out[:, (i + 2 * j) % 13 == 0] = 255
    return torch.from_numpy(out.astype(np.int64))


GRAD_KEYS = [
    "encoder.backbone.conv1.weight",
    "encoder.backbone.bn1.weight",
    "encoder.backbone.layer1.0.conv2.weight",
    "encoder.backbone.layer1.0.downsample.0.weight",
    "encoder.backbone.layer4.1.bn2.weight",
    "encoder.aspp.aspp2.bn.weight",
    "encoder.aspp.global_avg_pool.1.weight",
    "encoder.aspp.bn1.bias",
    "encoder.decoder.conv1.weight",
    "encoder.decoder.last_conv.4.weight",
    "classifiers.0.1.weight",
    "classifiers.0.1.bias",
    "project.0.weight",
    "project.2.bias",
]
STAT_KEYS = [
    "encoder.backbone.bn1.running_mean",
    "encoder.backbone.layer4.1.bn2.running_var",
    "encoder.aspp.global_avg_pool.2.running_var",
    "encoder.decoder.last_conv.5.running_mean",
]


def make_fixture():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = D.MultiDomainDeepLab(**SMALL)
    randomize_batch_norms(model, gen)
    write_manifest(model, "deeplab_small.txt")
    state = {k: v.clone() for k, v in model.state_dict().items()}

    levels = torch.randint(0, 16, (N, 3, H, W), generator=gen)
    x = (levels.float() - 7.5) / 4  # dyadic values: exact in float32, compress well

    model.eval()
    with torch.no_grad():
        feats = model.encoder(x)
        eval_outputs = {
            "eval_features": (feats, {"expression": "model.encoder(x)"}),
            "eval_logits_1": (model.logits(feats, 1),
                              {"expression": "model.logits(model.encoder(x), 1)"}),
            "eval_projection": (model.project(F.avg_pool2d(feats, kernel_size=2, stride=2)), {
                "expression": "model.project(F.avg_pool2d(model.encoder(x), 2, 2))"}),
            # the proxy FID features (SegmenterExtractor): layer4 globally average-pooled
            "eval_pooled_backbone": (
                F.adaptive_avg_pool2d(model.encoder.backbone(x)[0], 1).flatten(1),
                {"expression": "F.adaptive_avg_pool2d(model.encoder.backbone(x)[0], 1)"
                               ".flatten(1)"}),
            # one upsampled row per image and class
            "eval_output_0_row": (model(x, domain=0)[:, :, H // 3, :], {
                "expression": "model(x, 0)[:, :, row, :]", "row": H // 3}),
        }

    # Train mode, dropout 0: CE of head 0 at input size + 0.5 * mean(projection^2).
    train = D.MultiDomainDeepLab(**SMALL, aspp_dropout=0, decoder_dropout=0,
                                 classifier_dropout=0)
    train.load_state_dict(state)
    train.train()
    feats = train.encoder(x)
    logits = F.interpolate(train.logits(feats, 0), size=(H, W), mode="bilinear",
                           align_corners=True)
    target = labels(N, H, W, SMALL["classes"][0])
    ce = F.cross_entropy(logits, target, ignore_index=255)
    proj = train.project(F.avg_pool2d(feats, kernel_size=2, stride=2))
    loss = ce + 0.5 * (proj * proj).mean()
    loss.backward()
    params = dict(train.named_parameters())
    buffers = dict(train.named_buffers())

    with FixtureFile("deeplab_small.h5", "make_models.py", torch.float32, gzip=True) as f:
        f.h5.attrs["format_version"] = 1
        f.h5.attrs["model"] = "deeplab_small"
        f.h5.attrs["source"] = f"Tests/Fixtures/scripts/make_models.py (torch {torch.__version__})"
        for k, v in state.items():
            a = v.numpy()
            f.h5.create_dataset(k, data=a.astype(np.int64 if k.endswith("num_batches_tracked")
                                                  else np.float32))
        # The cases: the op-fixture layout under cases/, the input stored once (soft links).
        f.write_case(
            "cases/train", {"x": x, "labels": target}, loss.detach(), torch.ones(()),
            {k: params[k].grad for k in GRAD_KEYS}, {k: buffers[k] for k in STAT_KEYS},
            {"mode": "train", "domain": 0, "dropout": 0.0,
             "loss": "F.cross_entropy(F.interpolate(model.logits(model.encoder(x), 0), (H, W), "
                     "bilinear, align_corners=True), labels, ignore_index=255) + "
                     "0.5 * mean(model.project(F.avg_pool2d(model.encoder(x), 2, 2)) ** 2)"})
        for name, (value, attrs) in eval_outputs.items():
            f.write_case(f"cases/{name}", {"x": h5py.SoftLink("/cases/train/inputs/x")}, value,
                         attrs=dict(attrs, mode="eval"))
    print("loss", loss.item())


def main():
    check_against_torchvision()
    torch.manual_seed(0)
    write_manifest(D.MultiDomainDeepLab(classes=(19, 19, 19)), "cac_deeplab_resnet50_3x19.txt")
    write_manifest(D.MultiDomainDeepLab(classes=(19,)), "cac_deeplab_resnet50_1x19.txt")
    make_fixture()


if __name__ == "__main__":
    main()
