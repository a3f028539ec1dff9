// Winograd F(2x2, 3x3) data transforms (see CWinograd.h). The arithmetic of every function
// repeats, expression for expression, the Swift kernels it replaced, so results keep their bits.
#include "CWinograd.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

CLONES void cwino_input_row(
    const float *plane, int h, int w, int pad, int ih0, int cols, float *v, ptrdiff_t stride,
    float *scratch) {
    const int width = 2 * cols + 2;  // padded input columns -pad ..< width - pad
    float *d = scratch, *e = scratch + 4 * width;
    int lo = pad < width ? pad : width;
    int hi = w + pad < width ? w + pad : width;
    for (int i = 0; i < 4; i++) {
        float *row = d + i * width;
        int ih = ih0 + i;
        if (ih < 0 || ih >= h) {
            memset(row, 0, sizeof(float) * (size_t)width);
            continue;
        }
        memset(row, 0, sizeof(float) * (size_t)lo);
        if (hi > lo) memcpy(row + lo, plane + (ptrdiff_t)ih * w, sizeof(float) * (size_t)(hi - lo));
        if (width > hi) memset(row + hi, 0, sizeof(float) * (size_t)(width - hi));
    }
    const float *d0 = d, *d1 = d + width, *d2 = d + 2 * width, *d3 = d + 3 * width;
    float *e0 = e, *e1 = e + width, *e2 = e + 2 * width, *e3 = e + 3 * width;
    for (int q = 0; q < width; q++) {  // B^T on rows
        e0[q] = d0[q] - d2[q];
        e1[q] = d1[q] + d2[q];
        e2[q] = d2[q] - d1[q];
        e3[q] = d1[q] - d3[q];
    }
    for (int a = 0; a < 4; a++) {  // B on the columns 2j ..< 2j + 4 of each
        const float *src = e + a * width;
        float *o0 = v + 4 * a * stride, *o1 = o0 + stride, *o2 = o1 + stride, *o3 = o2 + stride;
        for (int j = 0; j < cols; j++) {
            float f0 = src[2 * j], f1 = src[2 * j + 1], f2 = src[2 * j + 2], f3 = src[2 * j + 3];
            o0[j] = f0 - f2;
            o1[j] = f1 + f2;
            o2[j] = f2 - f1;
            o3[j] = f1 - f3;
        }
    }
}

CLONES void cwino_output_row(
    const float *m, ptrdiff_t stride, int cols, float bias, float *top, float *bottom, int wo,
    float *scratch) {
    float *line0 = scratch, *line1 = scratch + 2 * cols;
    const float *m0 = m, *m4 = m + 4 * stride, *m8 = m + 8 * stride, *m12 = m + 12 * stride;
    for (int j = 0; j < cols; j++) {
        // A^T M: a top and a bottom row of four; then A on the columns.
        float t[4], b[4];
        for (int s = 0; s < 4; s++) {
            float p0 = m0[s * stride + j], p1 = m4[s * stride + j];
            float p2 = m8[s * stride + j], p3 = m12[s * stride + j];
            t[s] = p0 + p1 + p2;
            b[s] = p1 - p2 - p3;
        }
        line0[2 * j] = t[0] + t[1] + t[2] + bias;
        line0[2 * j + 1] = t[1] - t[2] - t[3] + bias;
        line1[2 * j] = b[0] + b[1] + b[2] + bias;
        line1[2 * j + 1] = b[1] - b[2] - b[3] + bias;
    }
    memcpy(top, line0, sizeof(float) * (size_t)wo);
    if (bottom) memcpy(bottom, line1, sizeof(float) * (size_t)wo);
}

CLONES void cwino_gradient_row(
    const float *top, const float *bottom, int wo, int cols, float *e, ptrdiff_t stride,
    float *scratch) {
    const int n = 2 * cols;
    float *d0 = scratch, *d1 = scratch + n, *a = scratch + 2 * n;
    memcpy(d0, top, sizeof(float) * (size_t)wo);
    memset(d0 + wo, 0, sizeof(float) * (size_t)(n - wo));
    if (bottom) {
        memcpy(d1, bottom, sizeof(float) * (size_t)wo);
        memset(d1 + wo, 0, sizeof(float) * (size_t)(n - wo));
    } else {
        memset(d1, 0, sizeof(float) * (size_t)n);
    }
    float *a0 = a, *a1 = a + n, *a2 = a + 2 * n, *a3 = a + 3 * n;
    for (int q = 0; q < n; q++) {  // A on the two rows
        a0[q] = d0[q];
        a1[q] = d0[q] + d1[q];
        a2[q] = d0[q] - d1[q];
        a3[q] = -d1[q];
    }
    for (int row = 0; row < 4; row++) {  // A^T on the column pairs
        const float *src = a + row * n;
        float *o0 = e + 4 * row * stride, *o1 = o0 + stride, *o2 = o1 + stride, *o3 = o2 + stride;
        for (int j = 0; j < cols; j++) {
            float f0 = src[2 * j], f1 = src[2 * j + 1];
            o0[j] = f0;
            o1[j] = f0 + f1;
            o2[j] = f0 - f1;
            o3[j] = -f1;
        }
    }
}

CLONES void cwino_weights(const float *w, int count, float *u, ptrdiff_t stride) {
    enum { BLOCK = 16 };
    for (int i0 = 0; i0 < count; i0 += BLOCK) {
        int nb = count - i0 < BLOCK ? count - i0 : BLOCK;
        float f[9][BLOCK];  // the block's filters, tap-major, so the arithmetic runs across filters
        for (int i = 0; i < nb; i++)
            for (int t = 0; t < 9; t++) f[t][i] = w[(ptrdiff_t)(i0 + i) * 9 + t];
        for (int i = nb; i < BLOCK; i++)
            for (int t = 0; t < 9; t++) f[t][i] = 0;
        float r[12][BLOCK];  // G f: rows (a, b, d) of f become four rows of three
        for (int i = 0; i < BLOCK; i++) {
            for (int q = 0; q < 3; q++) {
                r[q][i] = f[q][i];
                r[3 + q][i] = (f[q][i] + f[3 + q][i] + f[6 + q][i]) * 0.5f;
                r[6 + q][i] = (f[q][i] - f[3 + q][i] + f[6 + q][i]) * 0.5f;
                r[9 + q][i] = f[6 + q][i];
            }
        }
        float out[16][BLOCK];  // then G^T on the columns of each row
        for (int i = 0; i < BLOCK; i++) {
            for (int row = 0; row < 4; row++) {
                float a = r[3 * row][i], b = r[3 * row + 1][i], d = r[3 * row + 2][i];
                out[4 * row][i] = a;
                out[4 * row + 1][i] = (a + b + d) * 0.5f;
                out[4 * row + 2][i] = (a - b + d) * 0.5f;
                out[4 * row + 3][i] = d;
            }
        }
        for (int xi = 0; xi < 16; xi++)
            memcpy(u + xi * stride + i0, out[xi], sizeof(float) * (size_t)nb);
    }
}

CLONES void cwino_weight_gradient(const float *du, ptrdiff_t stride, int count, float *dw) {
    enum { BLOCK = 16 };
    for (int i0 = 0; i0 < count; i0 += BLOCK) {
        int nb = count - i0 < BLOCK ? count - i0 : BLOCK;
        float m[16][BLOCK];
        for (int xi = 0; xi < 16; xi++) {
            memcpy(m[xi], du + xi * stride + i0, sizeof(float) * (size_t)nb);
            for (int i = nb; i < BLOCK; i++) m[xi][i] = 0;
        }
        float r[12][BLOCK];  // G^T dU: three rows of four
        for (int i = 0; i < BLOCK; i++) {
            for (int s = 0; s < 4; s++) {
                float a = m[s][i], b = m[4 + s][i], c = m[8 + s][i], d = m[12 + s][i];
                r[s][i] = a + (b + c) * 0.5f;
                r[4 + s][i] = (b - c) * 0.5f;
                r[8 + s][i] = (b + c) * 0.5f + d;
            }
        }
        float out[9][BLOCK];  // (G^T dU) G: three columns per row
        for (int i = 0; i < BLOCK; i++) {
            for (int row = 0; row < 3; row++) {
                float a = r[4 * row][i], b = r[4 * row + 1][i];
                float c = r[4 * row + 2][i], d = r[4 * row + 3][i];
                out[3 * row][i] = a + (b + c) * 0.5f;
                out[3 * row + 1][i] = (b - c) * 0.5f;
                out[3 * row + 2][i] = (b + c) * 0.5f + d;
            }
        }
        for (int i = 0; i < nb; i++)
            for (int t = 0; t < 9; t++) dw[(ptrdiff_t)(i0 + i) * 9 + t] = out[t][i];
    }
}
