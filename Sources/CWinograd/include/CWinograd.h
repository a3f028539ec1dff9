// The data transforms of Winograd F(2x2, 3x3), a run of tile rows at a time (Tensors/Ops/Winograd.swift
// is the one Swift file that calls them). Plain C loops compiled once per instruction set
// (AVX-512, AVX2, baseline) and picked at load time: the portable build stays portable, and
// the wide CPUs get wide vectors. Every output is the same fixed expression of its inputs,
// evaluated in the same order at every vector width, with no contraction into FMA: the bits
// do not depend on the instruction set.
#ifndef CWINOGRAD_H
#define CWINOGRAD_H

#include <stddef.h>

// Tile row r (0-based over all images) is image r / rows_per_image, output rows
// 2 * (r % rows_per_image) and the next; a channel's plane of image n starts at
// base + n * image_stride. The row functions take the run of tile rows r0 ..< r0 + count,
// whose `cols` tiles each are columns i * cols ..< (i + 1) * cols of the transformed buffers.

/// V[4a+b][i * cols + j] = (B^T d B)[a][b] for tile j of tile row r0 + i of one channel: d is
/// the 4x4 patch of input rows 2 (r % rows_per_image) - pad + (0 ..< 4) and columns
/// 2j - pad + (0 ..< 4) (zero outside the h x w plane). V[xi] starts at v + xi * stride.
/// scratch: 5 * (2 * cols + 2) floats.
void cwino_input_rows(
    const float *x, ptrdiff_t image_stride, int h, int w, int pad, int rows_per_image, int r0,
    int count, int cols, float *v, ptrdiff_t stride, float *scratch);

/// The outputs (A^T M A) + bias of the tile rows r0 ..< r0 + count of one output channel,
/// M[xi][i * cols + j] at m + xi * stride + i * cols + j, into the ho x wo planes at
/// y + n * image_stride; outputs past ho or wo are dropped.
void cwino_output_rows(
    const float *m, ptrdiff_t stride, int cols, float bias, float *y, ptrdiff_t image_stride,
    int ho, int wo, int rows_per_image, int r0, int count);

/// E[4a+b][i * cols + j] = (A dy A^T)[a][b] for the 2x2 gradient blocks of the tile rows
/// r0 ..< r0 + count of one output channel (dy: the ho x wo planes at gy + n * image_stride,
/// zero past ho or wo). E[xi] starts at e + xi * stride. scratch: 10 * cols floats.
void cwino_gradient_rows(
    const float *gy, ptrdiff_t image_stride, int ho, int wo, int rows_per_image, int r0,
    int count, int cols, float *e, ptrdiff_t stride, float *scratch);

/// U[xi][i] = (G f_i G^T)[xi] for the `count` 3x3 filters f_i = w[9i ..< 9i + 9],
/// G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]; U[xi] starts at u + xi * stride.
void cwino_weights(const float *w, int count, float *u, ptrdiff_t stride);

/// dw_i = G^T dU_i G for `count` transformed gradients, dU_i[xi] = du[xi * stride + i]:
/// writes the 3x3 filter gradients dw[9i ..< 9i + 9].
void cwino_weight_gradient(const float *du, ptrdiff_t stride, int count, float *dw);

#endif
