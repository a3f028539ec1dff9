// Winograd F(2x2, 3x3) data transforms (see CWinograd.h). The arithmetic of every function
// repeats, expression for expression, the Swift kernels it replaced, so results keep their bits.
#include "CWinograd.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

// One tile row of the input transform. Input rows outside the plane read `zeros` (at least
// 2 * cols + 2 floats of +0), and padding columns give the +0 that d0 - d2 etc. give on zeros,
// so every value is the expression of the zero-padded patch it always was.
static inline __attribute__((always_inline)) void input_row(
    const float *plane, int h, int w, int pad, int ih0, int cols, float *v, ptrdiff_t stride,
    float *e, const float *zeros) {
    const int width = 2 * cols + 2;  // padded input columns -pad ..< width - pad
    const int lo = pad < width ? pad : width;
    const int hi = w + pad < width ? w + pad : width;
    const float *d[4];
    for (int i = 0; i < 4; i++) {
        int ih = ih0 + i;
        d[i] = (ih < 0 || ih >= h) ? zeros : plane + (ptrdiff_t)ih * w;
    }
    const float *d0 = d[0] - pad, *d1 = d[1] - pad, *d2 = d[2] - pad, *d3 = d[3] - pad;
    float *e0 = e, *e1 = e + width, *e2 = e + 2 * width, *e3 = e + 3 * width;
    const float z = 0.0f;
    for (int q = 0; q < lo; q++) {  // B^T on rows: left padding
        e0[q] = z - z;
        e1[q] = z + z;
        e2[q] = z - z;
        e3[q] = z - z;
    }
    for (int q = lo; q < hi; q++) {  // inside the plane's columns
        e0[q] = d0[q] - d2[q];
        e1[q] = d1[q] + d2[q];
        e2[q] = d2[q] - d1[q];
        e3[q] = d1[q] - d3[q];
    }
    for (int q = hi; q < width; q++) {  // right padding
        e0[q] = z - z;
        e1[q] = z + z;
        e2[q] = z - z;
        e3[q] = z - z;
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

CLONES void cwino_input_rows(
    const float *x, ptrdiff_t image_stride, int h, int w, int pad, int rows_per_image, int r0,
    int count, int cols, float *v, ptrdiff_t stride, float *scratch) {
    const int width = 2 * cols + 2;
    float *zeros = scratch + 4 * width;
    for (int q = 0; q < width; q++) zeros[q] = 0.0f;
    for (int i = 0; i < count; i++) {
        int r = r0 + i, n = r / rows_per_image, oh = 2 * (r % rows_per_image);
        input_row(
            x + n * image_stride, h, w, pad, oh - pad, cols, v + (ptrdiff_t)i * cols, stride,
            scratch, zeros);
    }
}

// A^T M of tile column j: its top and bottom rows of four.
static inline __attribute__((always_inline)) void output_rows_of(
    const float *m0, const float *m4, const float *m8, const float *m12, ptrdiff_t stride, int j,
    float t[4], float b[4]) {
    for (int s = 0; s < 4; s++) {
        float p0 = m0[s * stride + j], p1 = m4[s * stride + j];
        float p2 = m8[s * stride + j], p3 = m12[s * stride + j];
        t[s] = p0 + p1 + p2;
        b[s] = p1 - p2 - p3;
    }
}

CLONES void cwino_output_rows(
    const float *m, ptrdiff_t stride, int cols, float bias, float *y, ptrdiff_t image_stride,
    int ho, int wo, int rows_per_image, int r0, int count) {
    const int pairs = wo / 2;  // output column pairs inside; an odd wo keeps one more column
    for (int i = 0; i < count; i++) {
        int r = r0 + i, n = r / rows_per_image, oh = 2 * (r % rows_per_image);
        float *top = y + n * image_stride + (ptrdiff_t)oh * wo;
        float *bottom = oh + 1 < ho ? top + wo : NULL;
        const float *m0 = m + (ptrdiff_t)i * cols, *m4 = m0 + 4 * stride;
        const float *m8 = m0 + 8 * stride, *m12 = m0 + 12 * stride;
        // A on the columns; the loops keep no branch inside, so they vectorise.
        if (bottom) {
            for (int j = 0; j < pairs; j++) {
                float t[4], b[4];
                output_rows_of(m0, m4, m8, m12, stride, j, t, b);
                top[2 * j] = t[0] + t[1] + t[2] + bias;
                top[2 * j + 1] = t[1] - t[2] - t[3] + bias;
                bottom[2 * j] = b[0] + b[1] + b[2] + bias;
                bottom[2 * j + 1] = b[1] - b[2] - b[3] + bias;
            }
        } else {
            for (int j = 0; j < pairs; j++) {
                float t[4], b[4];
                output_rows_of(m0, m4, m8, m12, stride, j, t, b);
                top[2 * j] = t[0] + t[1] + t[2] + bias;
                top[2 * j + 1] = t[1] - t[2] - t[3] + bias;
            }
        }
        if (wo % 2 == 1) {
            float t[4], b[4];
            output_rows_of(m0, m4, m8, m12, stride, pairs, t, b);
            top[2 * pairs] = t[0] + t[1] + t[2] + bias;
            if (bottom) bottom[2 * pairs] = b[0] + b[1] + b[2] + bias;
        }
    }
}

CLONES void cwino_gradient_rows(
    const float *gy, ptrdiff_t image_stride, int ho, int wo, int rows_per_image, int r0,
    int count, int cols, float *e, ptrdiff_t stride, float *scratch) {
    const int n2 = 2 * cols;
    float *a = scratch, *zeros = scratch + 4 * n2;
    for (int q = 0; q < n2; q++) zeros[q] = 0.0f;
    float *a0 = a, *a1 = a + n2, *a2 = a + 2 * n2, *a3 = a + 3 * n2;
    const float z = 0.0f;
    for (int i = 0; i < count; i++) {
        int r = r0 + i, n = r / rows_per_image, oh = 2 * (r % rows_per_image);
        const float *d0 = gy + n * image_stride + (ptrdiff_t)oh * wo;
        const float *d1 = oh + 1 < ho ? d0 + wo : zeros;
        for (int q = 0; q < wo; q++) {  // A on the two rows
            a0[q] = d0[q];
            a1[q] = d0[q] + d1[q];
            a2[q] = d0[q] - d1[q];
            a3[q] = -d1[q];
        }
        for (int q = wo; q < n2; q++) {  // zero past wo
            a0[q] = z;
            a1[q] = z + z;
            a2[q] = z - z;
            a3[q] = -z;
        }
        float *out = e + (ptrdiff_t)i * cols;
        for (int row = 0; row < 4; row++) {  // A^T on the column pairs
            const float *src = a + row * n2;
            float *o0 = out + 4 * row * stride, *o1 = o0 + stride, *o2 = o1 + stride;
            float *o3 = o2 + stride;
            for (int j = 0; j < cols; j++) {
                float f0 = src[2 * j], f1 = src[2 * j + 1];
                o0[j] = f0;
                o1[j] = f0 + f1;
                o2[j] = f0 - f1;
                o3[j] = -f1;
            }
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
        for (int xi = 0; xi < 16; xi++) {  // a constant size for full blocks: inlined moves
            if (nb == BLOCK) memcpy(u + xi * stride + i0, out[xi], sizeof(float) * BLOCK);
            else memcpy(u + xi * stride + i0, out[xi], sizeof(float) * (size_t)nb);
        }
    }
}

CLONES void cwino_weight_gradient(const float *du, ptrdiff_t stride, int count, float *dw) {
    enum { BLOCK = 16 };
    for (int i0 = 0; i0 < count; i0 += BLOCK) {
        int nb = count - i0 < BLOCK ? count - i0 : BLOCK;
        float m[16][BLOCK];
        for (int xi = 0; xi < 16; xi++) {
            if (nb == BLOCK) memcpy(m[xi], du + xi * stride + i0, sizeof(float) * BLOCK);
            else memcpy(m[xi], du + xi * stride + i0, sizeof(float) * (size_t)nb);
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
