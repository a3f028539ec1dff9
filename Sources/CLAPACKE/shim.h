// LAPACKE (Debian liblapacke-dev) for the symmetric eigensolver, and the reference Fortran BLAS
// dgemm that LAPACK itself links against (libblas.so.3; OpenBLAS through Debian's alternatives).
// Imported by exactly one Swift file: Sources/SynthesisMetrics/LAPACK.swift.
#include <lapacke.h>

// Column-major C = alpha * op(A) * op(B) + beta * C (reference BLAS signature).
void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *b,
            const int *ldb, const double *beta, double *c, const int *ldc);
