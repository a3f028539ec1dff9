#!/usr/bin/env python3
"""Writes Tests/Fixtures/fid.h5: pytorch-fid goldens for FID statistics and the Frechet
distance (FIDFixtureTests.swift).

Each case <name> holds two float32 feature sets <name>.x (N1, d) and <name>.y (N2, d). The
script widens them to float64 as pytorch-fid does (its activation array is float64), takes
np.mean / np.cov(rowvar=False) (<name>.mu_x, <name>.sigma_x, ...) and runs pytorch-fid's own
calculate_frechet_distance (scipy.linalg.sqrtm, Schur method) -> attribute fid_scipy. It also
stores fid_eigh, the same distance by symmetric eigendecompositions in numpy
(Tr sqrtm(S1 S2) = sum sqrt(eig(S1^1/2 S2 S1^1/2))), fid_svd, a third route that never forms
S1 S2 (the non-zero eigenvalues of S1 S2 are the squared singular values of
Xc Yc^T / sqrt((N1 - 1)(N2 - 1)) for the centred features), and scipy's largest
|Im diag(sqrtm)|.
Cases: "rank_deficient" (fewer images than dimensions, like 500 images vs 2048 features),
"full_rank". Needs numpy, scipy, h5py and pytorch-fid (pip install pytorch-fid; torchvision
is only imported by it, see make_inception.py for the import work-around).
Run: /root/torch/bin/python Tests/Fixtures/scripts/make_fid.py
"""
import os
import sys
import types

import h5py
import numpy as np
from scipy import linalg

# pytorch_fid.fid_score imports torchvision; a CPU torch without matching torchvision C++
# ops fails in torchvision._meta_registrations, which nothing here needs.
sys.modules.setdefault("torchvision._meta_registrations",
                       types.ModuleType("torchvision._meta_registrations"))
from pytorch_fid.fid_score import calculate_frechet_distance  # noqa: E402

# name: (N1, N2, d, rank of the shared structure)
CASES = {
    "rank_deficient": (48, 40, 96, 24),
    "full_rank": (300, 260, 12, 12),
}


def features(rng, n, d, rank, shift):
    """Correlated non-negative features (like post-ReLU pool activations), float32."""
    basis = rng.standard_normal((rank, d))
    z = rng.standard_normal((n, rank))
    x = np.abs(z @ basis + 0.3 * rng.standard_normal((n, d)) + shift)
    return x.astype(np.float32)


def fid_eigh(mu1, s1, mu2, s2):
    w, v = np.linalg.eigh(s1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = root @ s2 @ root
    lam = np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)
    diff = mu1 - mu2
    return diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(lam).sum()


def fid_svd(x, y, mu1, s1, mu2, s2):
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    cross = xc @ yc.T / np.sqrt((len(x) - 1) * (len(y) - 1))
    diff = mu1 - mu2
    nuclear = np.linalg.svd(cross, compute_uv=False).sum()
    return diff @ diff + np.trace(s1) + np.trace(s2) - 2 * nuclear


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "fid.h5")
    rng = np.random.default_rng(20261129)
    with h5py.File(out, "w", track_order=True) as f:
        for name, (n1, n2, d, rank) in CASES.items():
            x = features(rng, n1, d, rank, 0.0)
            y = features(rng, n2, d, rank, 0.2)
            x64, y64 = x.astype(np.float64), y.astype(np.float64)
            mu_x, mu_y = np.mean(x64, axis=0), np.mean(y64, axis=0)
            s_x, s_y = np.cov(x64, rowvar=False), np.cov(y64, rowvar=False)
            scipy_value = float(calculate_frechet_distance(mu_x, s_x, mu_y, s_y))
            eigh_value = float(fid_eigh(mu_x, s_x, mu_y, s_y))
            svd_value = float(fid_svd(x64, y64, mu_x, s_x, mu_y, s_y))
            covmean = linalg.sqrtm(s_x.dot(s_y))
            imag = (float(np.max(np.abs(np.diagonal(covmean).imag)))
                    if np.iscomplexobj(covmean) else 0.0)
            for key, value in (("x", x), ("y", y), ("mu_x", mu_x), ("mu_y", mu_y),
                               ("sigma_x", s_x), ("sigma_y", s_y)):
                f.create_dataset(f"{name}.{key}", data=value)
            f[f"{name}.x"].attrs["fid_scipy"] = scipy_value
            f[f"{name}.x"].attrs["fid_eigh"] = eigh_value
            f[f"{name}.x"].attrs["fid_svd"] = svd_value
            f[f"{name}.x"].attrs["scipy_max_imag_diag"] = imag
            rel = abs(scipy_value - eigh_value) / abs(scipy_value)
            print(f"{name}: N {n1}/{n2}, d {d}, rank(S_x) {np.linalg.matrix_rank(s_x)}: "
                  f"scipy {scipy_value!r}, eigh {eigh_value!r}, rel diff {rel:.2e}, "
                  f"svd {svd_value!r}, scipy max |Im diag| {imag:.2e}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
