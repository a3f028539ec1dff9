// The data transforms of Winograd F(2x2, 3x3), one tile row at a time (Tensors/Ops/Winograd.swift
// is the one Swift file that calls them). Plain C loops compiled once per instruction set
// (AVX-512, AVX2, baseline) and picked at load time: the portable build stays portable, and
// the wide CPUs get wide vectors. Every output is the same fixed expression of its inputs,
// evaluated in the same order at every vector width, with no contraction into FMA: the bits
// do not depend on the instruction set.
#ifndef CWINOGRAD_H
#define CWINOGRAD_H

#include <stddef.h>

/// V[4a+b][j] = (B^T d B)[a][b] for tile j = 0 ..< cols of one tile row of one channel plane:
/// d is the 4x4 patch of input rows ih0 ..< ih0 + 4 and columns 2j - pad ..< 2j - pad + 4 (zero
/// outside the h x w plane). V[xi] starts at v + xi * stride. scratch: 8 * (2 * cols + 2) floats.
void cwino_input_row(
    const float *plane, int h, int w, int pad, int ih0, int cols, float *v, ptrdiff_t stride,
    float *scratch);

/// The 2 x (2 * cols) outputs (A^T M A) + bias of one tile row: M[xi][j] at m + xi * stride + j.
/// Writes the first `wo` values of the top row, and of the bottom row unless it is NULL.
/// scratch: 4 * cols floats.
void cwino_output_row(
    const float *m, ptrdiff_t stride, int cols, float bias, float *top, float *bottom, int wo,
    float *scratch);

/// E[4a+b][j] = (A dy A^T)[a][b] for the 2x2 gradient blocks of one tile row: dy rows `top`
/// and `bottom` (NULL: zero) of `wo` values, zero past wo. E[xi] starts at e + xi * stride.
/// scratch: 12 * cols floats.
void cwino_gradient_row(
    const float *top, const float *bottom, int wo, int cols, float *e, ptrdiff_t stride,
    float *scratch);

/// U[xi][i] = (G f_i G^T)[xi] for the `count` 3x3 filters f_i = w[9i ..< 9i + 9],
/// G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]; U[xi] starts at u + xi * stride.
void cwino_weights(const float *w, int count, float *u, ptrdiff_t stride);

/// dw_i = G^T dU_i G for `count` transformed gradients, dU_i[xi] = du[xi * stride + i]:
/// writes the 3x3 filter gradients dw[9i ..< 9i + 9].
void cwino_weight_gradient(const float *du, ptrdiff_t stride, int count, float *dw);

#endif
