"""PyTorch reference of the Swift Models target: CAC's DeepLabv3+ (ResNet backbone, ASPP,
decoder), one classifier head per domain and the CAC projector.

The modules mirror dvlab-research/Context-Aware-Consistency (models/modeling/*.py,
models/model.py) layer for layer, so the state_dict keys are CAC's:
`encoder.backbone.layer1.0.conv1.weight`, `encoder.aspp.global_avg_pool.1.weight`,
`encoder.decoder.last_conv.4.weight`, `classifier.1.weight`, `project.2.weight`.

Additions, each a parameter with CAC's value as default:
- `width_divisor` divides every channel count (64-based backbone widths, ASPP/decoder 256 and
  48, projector 256/128) for small test and smoke models;
- `blocks` gives the bottleneck count per stage (layer4 is CAC's multi-grid unit and takes the
  first `blocks[3]` of the grid (1, 2, 4));
- `domains` heads: one domain keeps CAC's `classifier`; several become an `nn.ModuleList`
  named `classifiers` (keys `classifiers.<domain>.1.weight`);
- dropout rates (CAC: ASPP 0.5, decoder 0.5, classifier 0.1), set to 0 in deterministic tests.

Used by make_models.py (fixtures, key manifests) and scripts/bench_step_torch.py.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MULTI_GRID = (1, 2, 4)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, dilation=dilation,
                               padding=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        residual = x if self.downsample is None else self.downsample(x)
        return self.relu(out + residual)


class ResNet(nn.Module):
    """CAC's backbone: torchvision ResNet keys, no fc, output stride 16 or 8 by dilation."""

    def __init__(self, blocks=(3, 4, 6, 3), output_stride=16, width_divisor=1):
        super().__init__()
        if output_stride == 16:
            strides, dilations = [1, 2, 2, 1], [1, 1, 1, 2]
        elif output_stride == 8:
            strides, dilations = [1, 2, 1, 1], [1, 1, 2, 4]
        else:
            raise ValueError(output_stride)
        w = 64 // width_divisor
        self.inplanes = w
        self.conv1 = nn.Conv2d(3, w, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(w)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._make_layer(w, [dilations[0]] * blocks[0], strides[0])
        self.layer2 = self._make_layer(2 * w, [dilations[1]] * blocks[1], strides[1])
        self.layer3 = self._make_layer(4 * w, [dilations[2]] * blocks[2], strides[2])
        grid = [g * dilations[3] for g in MULTI_GRID[: blocks[3]]]
        self.layer4 = self._make_layer(8 * w, grid, strides[3])
        for m in self.modules():  # CAC's and torchvision's init: normal(0, sqrt(2 / fan_out))
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def _make_layer(self, planes, dilations, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * 4:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * 4, 1, stride=stride, bias=False),
                nn.BatchNorm2d(planes * 4))
        layers = [Bottleneck(self.inplanes, planes, stride, dilations[0], downsample)]
        self.inplanes = planes * 4
        layers += [Bottleneck(self.inplanes, planes, 1, d) for d in dilations[1:]]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        low = self.layer1(x)
        return self.layer4(self.layer3(self.layer2(low))), low


class ASPPModule(nn.Module):
    def __init__(self, inplanes, planes, kernel, dilation):
        super().__init__()
        padding = 0 if kernel == 1 else dilation
        self.atrous_conv = nn.Conv2d(inplanes, planes, kernel, padding=padding,
                                     dilation=dilation, bias=False)
        self.bn = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.atrous_conv(x)))


class ASPP(nn.Module):
    def __init__(self, inplanes, planes, output_stride=16, dropout=0.5):
        super().__init__()
        rates = {16: [6, 12, 18], 8: [12, 24, 36]}[output_stride]
        self.aspp1 = ASPPModule(inplanes, planes, 1, 1)
        self.aspp2 = ASPPModule(inplanes, planes, 3, rates[0])
        self.aspp3 = ASPPModule(inplanes, planes, 3, rates[1])
        self.aspp4 = ASPPModule(inplanes, planes, 3, rates[2])
        self.global_avg_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d((1, 1)), nn.Conv2d(inplanes, planes, 1, bias=False),
            nn.BatchNorm2d(planes), nn.ReLU())
        self.conv1 = nn.Conv2d(5 * planes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        x1, x2, x3, x4 = self.aspp1(x), self.aspp2(x), self.aspp3(x), self.aspp4(x)
        x5 = F.interpolate(self.global_avg_pool(x), size=x4.shape[2:], mode="bilinear",
                           align_corners=True)
        x = torch.cat((x1, x2, x3, x4, x5), dim=1)
        return self.dropout(self.relu(self.bn1(self.conv1(x))))


class Decoder(nn.Module):
    def __init__(self, low_inplanes, low_planes, planes, dropout=0.5):
        super().__init__()
        self.conv1 = nn.Conv2d(low_inplanes, low_planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(low_planes)
        self.relu = nn.ReLU()
        self.last_conv = nn.Sequential(
            nn.Conv2d(planes + low_planes, planes, 3, padding=1, bias=False),
            nn.BatchNorm2d(planes), nn.ReLU(), nn.Dropout(dropout),
            nn.Conv2d(planes, planes, 3, padding=1, bias=False),
            nn.BatchNorm2d(planes), nn.ReLU())
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x, low):
        low = self.relu(self.bn1(self.conv1(low)))
        x = F.interpolate(x, size=low.shape[2:], mode="bilinear", align_corners=True)
        return self.last_conv(torch.cat((x, low), dim=1))


class DeepLab(nn.Module):
    """CAC's `DeepLab` (the encoder E): backbone, ASPP, decoder; output 256 ch at stride 4."""

    def __init__(self, blocks=(3, 4, 6, 3), output_stride=16, width_divisor=1,
                 aspp_dropout=0.5, decoder_dropout=0.5):
        super().__init__()
        d = width_divisor
        self.backbone = ResNet(blocks, output_stride, d)
        self.aspp = ASPP(2048 // d, 256 // d, output_stride, aspp_dropout)
        self.decoder = Decoder(256 // d, 48 // d, 256 // d, decoder_dropout)

    def forward(self, x):
        x, low = self.backbone(x)
        return self.decoder(self.aspp(x), low)


def classifier_head(planes, classes, dropout):
    head = nn.Sequential(nn.Dropout(dropout), nn.Conv2d(planes, classes, 1))
    nn.init.kaiming_normal_(head[1].weight)  # bias keeps PyTorch's default uniform init
    return head


class MultiDomainDeepLab(nn.Module):
    """CAC's model body: encoder, one classifier per domain, projector (default init)."""

    def __init__(self, classes=(19,), blocks=(3, 4, 6, 3), output_stride=16, width_divisor=1,
                 projector=True, aspp_dropout=0.5, decoder_dropout=0.5, classifier_dropout=0.1):
        super().__init__()
        d = width_divisor
        self.encoder = DeepLab(blocks, output_stride, d, aspp_dropout, decoder_dropout)
        heads = [classifier_head(256 // d, k, classifier_dropout) for k in classes]
        if len(heads) == 1:
            self.classifier = heads[0]
        else:
            self.classifiers = nn.ModuleList(heads)
        if projector:
            self.project = nn.Sequential(
                nn.Conv2d(256 // d, 256 // d, 1), nn.ReLU(inplace=True),
                nn.Conv2d(256 // d, 128 // d, 1))

    def head(self, domain):
        return self.classifier if hasattr(self, "classifier") else self.classifiers[domain]

    def logits(self, features, domain):
        return self.head(domain)(features)

    def forward(self, x, domain=0):
        out = self.logits(self.encoder(x), domain)
        return F.interpolate(out, size=x.shape[2:], mode="bilinear", align_corners=True)
