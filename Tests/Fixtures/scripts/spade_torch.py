"""A PyTorch mirror of NVlabs/SPADE's generator and discriminator (module structure and
state_dict keys as in models/networks/{normalization,architecture,generator,discriminator}.py,
norm_G spectralspadesyncbatch3x3, norm_D spectralinstance, no VAE), written from the spec
(shared/spec/spade.md sections 2-3), plus paper 2's instance-aware extensions (spade.md 6.3-6.5):
a Multi-Instance MLP in every SPADE module (additive, shared noise) and the position map added
to the SPADE hidden activation. Used by make_spade.py only.

SyncBatchNorm is plain BatchNorm2d in one process (same keys).
"""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm


def options(**kw):
    """SPADE's resolved options (spade.md section 0) with the instance-aware flags."""
    o = dict(label_nc=35, no_instance=False, ngf=64, ndf=64, nhidden=128,
             num_upsampling_layers="normal", crop_size=512, aspect_ratio=2.0, num_D=2,
             n_layers_D=4, mimlp=False, noise_dim=128, position=False)
    o.update(kw)
    o["semantic_nc"] = o["label_nc"] + (0 if o["no_instance"] else 1)
    return SimpleNamespace(**o)


class Context:
    """One forward's instance data: index (N, H, W) long, -1 = background; counts per image;
    noise (total instances, d_z), shared by all modules; position (N, nhidden, H, W)."""

    def __init__(self, index=None, counts=None, noise=None, position=None):
        self.index, self.counts, self.noise, self.position = index, counts, noise, position


def instance_gather(values, index, counts):
    """out[n, c, p] = values[offset_n + index[n, p], c], 0 where index is -1."""
    offsets = torch.tensor([sum(counts[:b]) for b in range(len(counts))]).view(-1, 1, 1)
    total = values.shape[0]
    padded = torch.cat([values, values.new_zeros(1, values.shape[1])], dim=0)
    g = torch.where(index >= 0, index + offsets, torch.full_like(index, total))
    return padded[g].permute(0, 3, 1, 2)


def resize_index(index, size):
    return F.interpolate(index[:, None].double(), size=size, mode="nearest")[:, 0].long()


class MIMLP(nn.Module):
    def __init__(self, noise_dim, hidden, channels):
        super().__init__()
        self.mlp_shared = nn.Sequential(nn.Linear(noise_dim, hidden), nn.ReLU())
        self.mlp_gamma = nn.Linear(hidden, channels)
        self.mlp_beta = nn.Linear(hidden, channels)

    def forward(self, z):
        h = self.mlp_shared(z)
        return self.mlp_gamma(h), self.mlp_beta(h)


class SPADE(nn.Module):
    def __init__(self, norm_nc, opt):
        super().__init__()
        self.opt = opt
        self.param_free_norm = nn.BatchNorm2d(norm_nc, affine=False)
        nh = opt.nhidden
        self.mlp_shared = nn.Sequential(nn.Conv2d(opt.semantic_nc, nh, 3, padding=1), nn.ReLU())
        self.mlp_gamma = nn.Conv2d(nh, norm_nc, 3, padding=1)
        self.mlp_beta = nn.Conv2d(nh, norm_nc, 3, padding=1)
        if opt.mimlp:
            self.mimlp = MIMLP(opt.noise_dim, nh, norm_nc)

    def forward(self, x, segmap, ctx):
        normalized = self.param_free_norm(x)
        size = x.size()[2:]
        seg = F.interpolate(segmap, size=size, mode="nearest")
        actv = self.mlp_shared(seg)
        if self.opt.position:
            actv = actv + F.interpolate(ctx.position, size=size, mode="nearest")
        gamma = self.mlp_gamma(actv)
        beta = self.mlp_beta(actv)
        if not self.opt.mimlp:
            return normalized * (1 + gamma) + beta
        index = resize_index(ctx.index, size)
        gi, bi = self.mimlp(ctx.noise)
        dense_g = instance_gather(gi, index, ctx.counts)
        dense_b = instance_gather(bi, index, ctx.counts)
        return normalized * (1 + gamma + dense_g) + beta + dense_b


class SPADEResnetBlock(nn.Module):
    def __init__(self, fin, fout, opt):
        super().__init__()
        self.learned_shortcut = fin != fout
        fmiddle = min(fin, fout)
        self.conv_0 = spectral_norm(nn.Conv2d(fin, fmiddle, 3, padding=1))
        self.conv_1 = spectral_norm(nn.Conv2d(fmiddle, fout, 3, padding=1))
        if self.learned_shortcut:
            self.conv_s = spectral_norm(nn.Conv2d(fin, fout, 1, bias=False))
        self.norm_0 = SPADE(fin, opt)
        self.norm_1 = SPADE(fmiddle, opt)
        if self.learned_shortcut:
            self.norm_s = SPADE(fin, opt)

    def forward(self, x, seg, ctx):
        x_s = self.conv_s(self.norm_s(x, seg, ctx)) if self.learned_shortcut else x
        dx = self.conv_0(F.leaky_relu(self.norm_0(x, seg, ctx), 0.2))
        dx = self.conv_1(F.leaky_relu(self.norm_1(dx, seg, ctx), 0.2))
        return x_s + dx


class SPADEGenerator(nn.Module):
    def __init__(self, opt):
        super().__init__()
        self.opt = opt
        nf = opt.ngf
        n_up = {"normal": 5, "more": 6, "most": 7}[opt.num_upsampling_layers]
        self.sw = opt.crop_size // (2 ** n_up)
        self.sh = round(self.sw / opt.aspect_ratio)
        self.fc = nn.Conv2d(opt.semantic_nc, 16 * nf, 3, padding=1)
        self.head_0 = SPADEResnetBlock(16 * nf, 16 * nf, opt)
        self.G_middle_0 = SPADEResnetBlock(16 * nf, 16 * nf, opt)
        self.G_middle_1 = SPADEResnetBlock(16 * nf, 16 * nf, opt)
        self.up_0 = SPADEResnetBlock(16 * nf, 8 * nf, opt)
        self.up_1 = SPADEResnetBlock(8 * nf, 4 * nf, opt)
        self.up_2 = SPADEResnetBlock(4 * nf, 2 * nf, opt)
        self.up_3 = SPADEResnetBlock(2 * nf, 1 * nf, opt)
        final_nc = nf
        if opt.num_upsampling_layers == "most":
            self.up_4 = SPADEResnetBlock(nf, nf // 2, opt)
            final_nc = nf // 2
        self.conv_img = nn.Conv2d(final_nc, 3, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)

    def forward(self, seg, ctx=None):
        ctx = ctx or Context()
        x = self.fc(F.interpolate(seg, size=(self.sh, self.sw)))
        x = self.head_0(x, seg, ctx)
        x = self.G_middle_0(self.up(x), seg, ctx)
        if self.opt.num_upsampling_layers in ("more", "most"):
            x = self.up(x)
        x = self.G_middle_1(x, seg, ctx)
        for name in ["up_0", "up_1", "up_2", "up_3"] + (
                ["up_4"] if self.opt.num_upsampling_layers == "most" else []):
            x = getattr(self, name)(self.up(x), seg, ctx)
        return torch.tanh(self.conv_img(F.leaky_relu(x, 0.2)))


class NLayerDiscriminator(nn.Module):
    def __init__(self, opt):
        super().__init__()
        nf = opt.ndf
        input_nc = opt.semantic_nc + 3
        seq = [[nn.Conv2d(input_nc, nf, 4, stride=2, padding=2), nn.LeakyReLU(0.2, False)]]
        for n in range(1, opt.n_layers_D):
            prev, nf = nf, min(nf * 2, 512)
            conv = spectral_norm(nn.Conv2d(prev, nf, 4, stride=1 if n == opt.n_layers_D - 1 else 2,
                                           padding=2))
            del conv.bias  # get_nonspade_norm_layer: the bias before a norm is removed
            conv.register_parameter("bias", None)
            seq += [[nn.Sequential(conv, nn.InstanceNorm2d(nf, affine=False)),
                     nn.LeakyReLU(0.2, False)]]
        seq += [[nn.Conv2d(nf, 1, 4, stride=1, padding=2)]]
        for n, layers in enumerate(seq):
            self.add_module("model%d" % n, nn.Sequential(*layers))

    def forward(self, x):
        outs = [x]
        for sub in self.children():
            outs.append(sub(outs[-1]))
        return outs[1:]


class MultiscaleDiscriminator(nn.Module):
    def __init__(self, opt):
        super().__init__()
        for i in range(opt.num_D):
            self.add_module("discriminator_%d" % i, NLayerDiscriminator(opt))

    def forward(self, x):
        result = []
        for d in self.children():
            result.append(d(x))
            x = F.avg_pool2d(x, kernel_size=3, stride=2, padding=[1, 1], count_include_pad=False)
        return result


def get_edges(t):
    """SPADE's Pix2PixModel.get_edges on an (N, 1, H, W) integer tensor."""
    edge = torch.zeros(t.size(), dtype=torch.bool)
    edge[:, :, :, 1:] |= t[:, :, :, 1:] != t[:, :, :, :-1]
    edge[:, :, :, :-1] |= t[:, :, :, 1:] != t[:, :, :, :-1]
    edge[:, :, 1:, :] |= t[:, :, 1:, :] != t[:, :, :-1, :]
    edge[:, :, :-1, :] |= t[:, :, 1:, :] != t[:, :, :-1, :]
    return edge.float()


def position_map(instances, channels):
    """spade.md 6.5 in float64: per instance (ids >= 1000), channel 4j + k =
    d_k[0] sin(u_x j 4 / C) + d_k[1] sin(u_y j 4 / C) inside its mask, 0 elsewhere."""
    n, h, w = instances.shape
    out = torch.zeros(n, channels, h, w, dtype=torch.float64)
    d = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
    for b in range(n):
        for v in sorted(set(instances[b].flatten().tolist())):
            if v < 1000:
                continue
            ys, xs = torch.nonzero(instances[b] == v, as_tuple=True)
            x1, y1 = xs.min().item(), ys.min().item()
            bw, bh = xs.max().item() - x1 + 1, ys.max().item() - y1 + 1
            for y, x in zip(ys.tolist(), xs.tolist()):
                ux, uy = 2 * (x - x1) / bw - 1, 2 * (y - y1) / bh - 1
                for j in range(channels // 4):
                    px, py = math.sin(ux * 4 * j / channels), math.sin(uy * 4 * j / channels)
                    for k, (a, c) in enumerate(d):
                        out[b, 4 * j + k, y, x] = a * px + c * py
    return out


def instance_index(instances):
    """Ascending instance ids per image -> (index (N, H, W) long, counts)."""
    index = torch.full(instances.shape, -1, dtype=torch.long)
    counts = []
    for b in range(instances.shape[0]):
        ids = sorted(v for v in set(instances[b].flatten().tolist()) if v >= 1000)
        for i, v in enumerate(ids):
            index[b][instances[b] == v] = i
        counts.append(len(ids))
    return index, counts
