// FMA-throughput loops, one per ISA, each compiled for its target with
// __attribute__((target(...))) so the portable build still contains them; cpeak_isa picks one
// with __builtin_cpu_supports. Twelve independent accumulators cover the FMA latency times the
// number of FMA pipes on current x86 cores (4 cycles x 2 pipes = 8 in flight).
#include "CPeak.h"

#include <immintrin.h>
#include <string.h>
#include <time.h>

#define CHAINS 12
#define INNER 1000

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

__attribute__((target("avx512f"))) static double run_avx512(long rounds, float seed) {
    __m512 acc[CHAINS];
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f * seed);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
    for (long r = 0; r < rounds; r++) {
        for (int k = 0; k < INNER; k++) {
#pragma clang loop unroll(full)
            for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
        }
    }
    float s = 0;
    for (int i = 0; i < CHAINS; i++) s += _mm512_reduce_add_ps(acc[i]);
    return s;
}

__attribute__((target("avx2,fma"))) static double run_avx2(long rounds, float seed) {
    __m256 acc[CHAINS];
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f * seed);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
    for (long r = 0; r < rounds; r++) {
        for (int k = 0; k < INNER; k++) {
#pragma clang loop unroll(full)
            for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
        }
    }
    float out[8], s = 0;
    for (int i = 0; i < CHAINS; i++) {
        _mm256_storeu_ps(out, acc[i]);
        for (int j = 0; j < 8; j++) s += out[j];
    }
    return s;
}

// SSE has no FMA: a multiply and an add per element, counted as 2 FLOPs like an FMA.
static double run_sse(long rounds, float seed) {
    __m128 acc[CHAINS];
    const __m128 a = _mm_set1_ps(0.999999f), b = _mm_set1_ps(1e-7f * seed);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm_set1_ps((float)i);
    for (long r = 0; r < rounds; r++) {
        for (int k = 0; k < INNER; k++) {
#pragma clang loop unroll(full)
            for (int i = 0; i < CHAINS; i++) acc[i] = _mm_add_ps(_mm_mul_ps(acc[i], a), b);
        }
    }
    float out[4], s = 0;
    for (int i = 0; i < CHAINS; i++) {
        _mm_storeu_ps(out, acc[i]);
        for (int j = 0; j < 4; j++) s += out[j];
    }
    return s;
}

const char *cpeak_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2+fma";
    return "sse";
}

static volatile double sink;

double cpeak_gflops(double seconds) {
    const char *isa = cpeak_isa();
    int lanes = strcmp(isa, "avx512f") == 0 ? 16 : strcmp(isa, "avx2+fma") == 0 ? 8 : 4;
    double (*run)(long, float) = lanes == 16 ? run_avx512 : lanes == 8 ? run_avx2 : run_sse;
    long rounds = 1;
    double elapsed = 0;
    // Grow the round count until one timed call lasts at least `seconds`.
    for (;;) {
        double t0 = now();
        sink = run(rounds, 1.0f);
        elapsed = now() - t0;
        if (elapsed >= seconds || rounds > (1L << 40)) break;
        rounds *= elapsed > 0 ? (long)(seconds / elapsed * 1.2) + 1 : 2;
    }
    double flops = 2.0 * lanes * CHAINS * (double)INNER * (double)rounds;
    return flops / elapsed * 1e-9;
}
