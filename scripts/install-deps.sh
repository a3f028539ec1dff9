#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (run as root or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    libpng-dev libopenblas-dev libhdf5-dev hdf5-tools pkg-config libjpeg62-turbo-dev \
    liblapacke-dev libsqlite3-dev chromium chromium-driver valgrind binutils git \
    python3 python3-h5py python3-pil python3-numpy \
    slurm-wlm munge openmpi-bin libopenmpi-dev
